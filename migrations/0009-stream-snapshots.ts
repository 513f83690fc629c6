import { sql, type Kysely } from 'kysely';

/**
 * The latest decision state of long streams, so that a process that has not a stream's state in memory folds
 * only the events after the snapshot, never a whole chat. A snapshot is a cache: it can be deleted at any time,
 * and one written by another version of the state (`version`) is ignored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stream_snapshots (
      stream_name text primary key,
      revision bigint not null,
      version text not null,
      state jsonb not null,
      taken_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table stream_snapshots`.execute(db);
}
