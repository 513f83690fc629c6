import { sql, type Kysely } from 'kysely';

/**
 * The linked-device ids (`…@lid`) the company's sessions learned are this contact's (`ContactLidMapped`, kept
 * in the session logs): chats and group messages addressed only by one of them belong to the contact too. A
 * mapping names the contact by its phone JID, and by its keyed hash, which stays once the number is erased (a
 * repeated erasure finds the ids again by it).
 */
export async function lidsOfContact<T>(
  db: Kysely<T>,
  companyId: string,
  contact: { phoneJid: string; contactHash: string },
): Promise<string[]> {
  const { rows } = await sql<{ lid: string }>`
    select distinct "Metadata"->>'lid' as lid from "Session_Logs"
    where "Company_Id" = ${companyId} and "Event_Type" = 'ContactLidMapped'
      and ("Metadata"->>'phoneJid' = ${contact.phoneJid} or "Metadata"->>'contactHash' = ${contact.contactHash})
      and "Metadata"->>'lid' like '%@lid'
    order by 1`.execute(db);
  return rows.map((row) => row.lid);
}

/** The key a linked-device id's chat (and what it wrote in groups) is sealed under: domain/privacy/contact-of-stream.ts. */
export const lidContact = (lid: string): string => `lid:${lid}`;
