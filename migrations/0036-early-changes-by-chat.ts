import { sql, type Kysely } from 'kysely';

/**
 * The chat of each change kept in Early_Message_Changes (a reaction, vote or edit that came before its message),
 * so that the erasure of a contact's chat scrubs the changes of that chat still waiting (README, "Privacy:
 * crypto-shredding"). Changes kept before: their chat from their event's stream (`chat-<session>_<jid>`), the
 * same a rebuild gives them. A database created from 0002 onwards has both already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Early_Message_Changes" add column if not exists "Chat_Id" text`.execute(db);
  await sql`update "Early_Message_Changes" c set "Chat_Id" = substr(e.stream_name, strpos(e.stream_name, '_') + 1)
    from events e where e.event_id = c."Id" and c."Chat_Id" is null`.execute(db);
  await sql`create index if not exists early_message_changes_by_chat
    on "Early_Message_Changes" ("Session_Id", "Chat_Id")`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists early_message_changes_by_chat`.execute(db);
  await sql`alter table "Early_Message_Changes" drop column if exists "Chat_Id"`.execute(db);
}
