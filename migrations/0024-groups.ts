import { sql, type Kysely } from 'kysely';
import { createReadModelTablesIfMissing } from './0002-read-models.js';

/**
 * The Groups read model (a session's groups, their subject and members), and the age of each change kept in
 * Early_Message_Changes, so that changes whose message never comes are forgotten after a while. A database
 * created from 0002 onwards has both already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createReadModelTablesIfMissing(db, ['Groups']);
  await sql`alter table "Early_Message_Changes" add column if not exists "Recorded_At" timestamptz`.execute(
    db,
  );
  // Changes kept before: their age from their event (the same time a rebuild gives them), when this database
  // holds the event store; otherwise they stay without one and are never forgotten by age.
  await sql`update "Early_Message_Changes" c set "Recorded_At" = (e.metadata->>'recordedAt')::timestamptz
    from events e where e.event_id = c."Id" and c."Recorded_At" is null`.execute(db);
  await sql`create index if not exists early_message_changes_by_age
    on "Early_Message_Changes" ("Session_Id", "Recorded_At")`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists "Groups"`.execute(db);
  await sql`drop index if exists early_message_changes_by_age`.execute(db);
  await sql`alter table "Early_Message_Changes" drop column if exists "Recorded_At"`.execute(db);
}
