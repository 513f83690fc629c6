import { sql, type Kysely } from 'kysely';

/**
 * Anchors on the EventStoreDB store. Its events live in EventStoreDB, their chain hashes in their metadata
 * (src/adapters/event-store/eventstoredb/audit-chain-metadata.ts); the anchoring singleton follows `$all` from
 * the checkpoint kept here and records each stream's latest head, with how far it is anchored
 * (`anchored_revision`, as `streams` has it on PostgreSQL). The anchors themselves go to audit_anchors and
 * audit_anchor_heads (migration 0015), as on the PostgreSQL store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table eventstoredb_audit_heads (
      stream_name text primary key,
      revision bigint not null,
      hash bytea not null,
      anchored_revision bigint not null default -1
    )`.execute(db);
  await sql`create index eventstoredb_audit_heads_unanchored on eventstoredb_audit_heads (stream_name)
    where revision > anchored_revision`.execute(db);
  await sql`
    create table eventstoredb_audit_checkpoint (
      name text primary key,
      checkpoint text not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table eventstoredb_audit_checkpoint`.execute(db);
  await sql`drop table eventstoredb_audit_heads`.execute(db);
}
