import { sql, type Kysely } from 'kysely';

/** The files a chat's messages reference: incoming ones by content, outgoing ones by their `db:` location. */
export interface ChatMedia {
  sha256s: string[];
  fileIds: string[];
}

export async function mediaOfChat<T>(db: Kysely<T>, companyId: string, chatJid: string): Promise<ChatMedia> {
  const { rows } = await sql<{ sha256: string | null; location: string | null }>`
    select distinct "Media_Sha256" as sha256, "Media_Location" as location from "Messages"
    where "Company_Id" = ${companyId} and "Chat_Id" = ${chatJid}
      and ("Media_Sha256" is not null or "Media_Location" like 'db:%')`.execute(db);
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
 * Deletes the chat's files that no message outside the chat references. Files are kept once per company by
 * content (and outgoing ones once per session): a picture the contact sent that another chat also holds stays.
 */
export async function deleteContactMedia<T>(
  db: Kysely<T>,
  companyId: string,
  chatJid: string,
  media: ChatMedia,
): Promise<void> {
  if (media.sha256s.length > 0)
    await sql`delete from media_blobs b
      where b.company_id = ${companyId} and b.sha256 = any(${media.sha256s}::text[])
        and not exists (select 1 from "Messages" m where m."Company_Id" = ${companyId}
          and m."Media_Sha256" = b.sha256 and m."Chat_Id" <> ${chatJid})`.execute(db);
  if (media.fileIds.length > 0)
    await sql`delete from media_files f
      where f.id = any(${media.fileIds}::uuid[])
        and not exists (select 1 from "Messages" m where m."Media_Location" = 'db:' || f.id::text
          and m."Chat_Id" <> ${chatJid})`.execute(db);
}
