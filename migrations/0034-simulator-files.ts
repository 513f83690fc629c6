import { sql, type Kysely } from 'kysely';

/**
 * The files of the messages the simulator's contacts send, kept as WhatsApp's servers keep them for download, so
 * that whichever gateway process takes a session over (after the one that received a message died) downloads
 * its file. Unlogged: like the rest of the simulated WhatsApp it is a stand-in, and its megabytes stay out of
 * the write-ahead log the gateway's own commits wait on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table simulator_files (
      position bigint generated always as identity primary key,
      session_id text not null,
      wa_message_id text not null,
      data bytea not null,
      unique (session_id, wa_message_id)
    )`.execute(db);
  await sql`create index simulator_files_by_session on simulator_files (session_id, position)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table simulator_files`.execute(db);
}
