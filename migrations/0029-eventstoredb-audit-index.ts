import { sql, type Kysely } from 'kysely';

/**
 * The index of the audit trail on the EventStoreDB store, which has none by company and session: the follower of
 * `$all` (src/adapters/audit/eventstoredb-audit-follower.ts) writes one row per event of a session's streams,
 * in the transaction that moves its checkpoint, so `GET /audit/sessions/:id/events` pages by the key and reads
 * only that session's events from EventStoreDB (by stream and revision).
 *
 * The follower's checkpoint is reset: its next run reads `$all` again from the start, which fills the index with
 * all history (recording the heads again changes nothing: a head only moves forward).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table eventstoredb_audit_index (
      company_id text not null,
      session_id text not null,
      commit_position bigint not null,
      prepare_position bigint not null,
      stream_name text not null,
      revision bigint not null,
      hash bytea,
      primary key (company_id, session_id, commit_position, prepare_position)
    )`.execute(db);
  await sql`delete from eventstoredb_audit_checkpoint where name = 'audit-heads'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table eventstoredb_audit_index`.execute(db);
}
