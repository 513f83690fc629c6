import { sql, type Kysely } from 'kysely';
import { clientKeyOf } from '../../domain/client-key.js';
import type { MediaBlobStore } from '../media-blob-store.js';

/**
 * The files of a contact: what its chat's messages and its messages in groups reference (incoming ones by
 * content, outgoing ones by their `db:` location) and its profile picture.
 */
export interface ContactMedia {
  sha256s: string[];
  fileIds: string[];
}

export async function mediaOfContact<T>(
  db: Kysely<T>,
  companyId: string,
  chatJid: string,
  phone: string,
): Promise<ContactMedia> {
  const { rows } = await sql<{ sha256: string | null; location: string | null }>`
    select distinct "Media_Sha256" as sha256, "Media_Location" as location from "Messages"
    where "Company_Id" = ${companyId}
      and ("Chat_Id" = ${chatJid} or ("Chat_Id" like '%@g.us' and "Sender" = ${chatJid} and not "From_Me"))
      and ("Media_Sha256" is not null or "Media_Location" like 'db:%')
    union
    select "Profile_Picture_Sha256", null from "Clients"
    where "Company_Id" = ${companyId} and "Wa_Number" = any(${clientKeys(chatJid, phone)}::text[])
      and "Profile_Picture_Sha256" is not null`.execute(db);
  return {
    sha256s: [...new Set(rows.flatMap((row) => (row.sha256 ? [row.sha256] : [])))],
    fileIds: [
      ...new Set(
        rows.flatMap((row) => {
          const id = /^db:([0-9a-f-]{36})$/.exec(row.location ?? '')?.[1];
          return id ? [id] : [];
        }),
      ),
    ],
  };
}

/**
 * Deletes the contact's files that nothing else references. Files are kept once per company by content (and
 * outgoing ones once per session): a picture the contact sent that another chat also holds, or that is another
 * contact's profile picture, stays. Kept files go through the blob store, so they leave S3 as well.
 */
export async function deleteContactMedia<T>(
  deps: { db: Kysely<T>; blobs: MediaBlobStore },
  contact: { companyId: string; chatJid: string; phone: string },
  media: ContactMedia,
): Promise<void> {
  const { db, blobs } = deps;
  const { companyId, chatJid, phone } = contact;
  if (media.sha256s.length > 0) {
    const { rows } = await sql<{ sha256: string }>`
      select s.sha256 from unnest(${media.sha256s}::text[]) as s(sha256)
      where not exists (select 1 from "Messages" m where m."Company_Id" = ${companyId}
          and m."Media_Sha256" = s.sha256 and m."Chat_Id" <> ${chatJid} and not ${authoredInGroup(chatJid)})
        and not exists (select 1 from "Clients" c where c."Company_Id" = ${companyId}
          and c."Profile_Picture_Sha256" = s.sha256 and c."Wa_Number" <> all(${clientKeys(chatJid, phone)}::text[]))`.execute(
      db,
    );
    for (const { sha256 } of rows) await blobs.delete(companyId, sha256);
  }
  if (media.fileIds.length > 0)
    await sql`delete from media_files f
      where f.id = any(${media.fileIds}::uuid[])
        and not exists (select 1 from "Messages" m where m."Media_Location" = 'db:' || f.id::text
          and m."Chat_Id" <> ${chatJid} and not ${authoredInGroup(chatJid)})`.execute(db);
}

/** The contact's Clients rows: by its number, and by the linked-device id this chat is addressed by. */
const clientKeys = (chatJid: string, phone: string): string[] =>
  [...new Set([phone, clientKeyOf(chatJid) ?? ''])].filter((key) => key !== '');

/** A Messages row (`m`) that the contact wrote in a group: its files are the contact's too. */
const authoredInGroup = (chatJid: string) =>
  sql`(m."Chat_Id" like '%@g.us' and m."Sender" = ${chatJid} and not m."From_Me")`;
