import { sql, type Kysely } from 'kysely';

/** A contact's calls in Session_Logs, by company and caller: its erasure finds and rewrites them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists session_logs_calls_by_caller
    on "Session_Logs" ("Company_Id", ("Metadata"->>'from'))
    where "Event_Type" = 'IncomingCallReceived'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists session_logs_calls_by_caller`.execute(db);
}
