import { sql, type Kysely } from 'kysely';

/**
 * The outbox's pending sends get a partial index, so that the metrics can count them at every scrape and a
 * restart can list them without reading every message. A database created from 0002 onwards has it already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists "messages_pending_sends" on "Messages" ("Created_Revision")
    where "Direction" = 'OUT' and "Wa_Message_Id" is null and "Status" = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists "messages_pending_sends"`.execute(db);
}
