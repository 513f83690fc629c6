import { sql, type Kysely } from 'kysely';
import { individualChatJid } from '../../domain/privacy/contact-of-stream.js';
import { lidsOfContact } from './contact-lids.js';

type Row = Record<string, unknown>;

export interface ContactExport {
  phone: string;
  /** The contact's one-to-one messages (by phone or linked-device id), and what it wrote in groups, oldest first. */
  messages: Row[];
  chats: Row[];
  clients: Row[];
}

/**
 * The right of access: every Messages, Chats and Clients row of the contact in one company, as the read
 * models hold them (column names included), whichever session it wrote to.
 */
export async function exportContact<T>(
  db: Kysely<T>,
  companyId: string,
  contact: { phone: string; contactHash: string },
): Promise<ContactExport> {
  const { phone } = contact;
  // Its phone JID, and the linked-device ids known to be its (chats and group messages addressed by them).
  const phoneJid = individualChatJid(phone);
  const jids = [
    phoneJid,
    ...(await lidsOfContact(db, companyId, { phoneJid, contactHash: contact.contactHash })),
  ];
  const [messages, chats, clients] = await Promise.all([
    sql<Row>`select * from "Messages" where "Company_Id" = ${companyId}
        and ("Chat_Id" = any(${jids}::text[]) or "Sender" = any(${jids}::text[]))
      order by "Wa_Timestamp", "Created_Revision"`.execute(db),
    sql<Row>`select * from "Chats" where "Company_Id" = ${companyId} and "Chat_Id" = any(${jids}::text[])
      order by "Session_Id", "Chat_Id"`.execute(db),
    // By number, and by a linked-device id whose row was not yet merged into the number's.
    sql<Row>`select * from "Clients" where "Company_Id" = ${companyId}
        and ("Wa_Number" = ${phone} or "Wa_Number" = any(${jids}::text[]))
      order by "Wa_Number"`.execute(db),
  ]);
  return {
    phone,
    messages: messages.rows.map(asJson),
    chats: chats.rows.map(asJson),
    clients: clients.rows.map(asJson),
  };
}

/** 64-bit integers as their digits (some drivers give them as bigint, which JSON cannot hold). */
const asJson = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      typeof value === 'bigint' ? value.toString() : value,
    ]),
  );
