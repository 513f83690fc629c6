import { sql, type Kysely } from 'kysely';
import { individualChatJid } from '../../domain/privacy/contact-of-stream.js';

type Row = Record<string, unknown>;

export interface ContactExport {
  phone: string;
  /** The contact's one-to-one messages, and what it wrote in groups, oldest first. */
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
  phone: string,
): Promise<ContactExport> {
  const jid = individualChatJid(phone);
  const [messages, chats, clients] = await Promise.all([
    sql<Row>`select * from "Messages" where "Company_Id" = ${companyId} and ("Chat_Id" = ${jid} or "Sender" = ${jid})
      order by "Wa_Timestamp", "Created_Revision"`.execute(db),
    sql<Row>`select * from "Chats" where "Company_Id" = ${companyId} and "Chat_Id" = ${jid}
      order by "Session_Id"`.execute(db),
    sql<Row>`select * from "Clients" where "Company_Id" = ${companyId} and "Wa_Number" = ${phone}`.execute(
      db,
    ),
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
