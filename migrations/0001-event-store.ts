import { sql, type Kysely } from 'kysely';

/**
 * The event store. `position` is handed out when a row is inserted, but transactions commit in another order;
 * `transaction_id` (xid8) lets subscribers read only what every older transaction has settled, so a late commit
 * is never skipped (see postgres-event-store.ts). `streams` holds each stream's revision and is the row that
 * concurrent writers to one stream lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table streams (
      stream_name text primary key,
      revision bigint not null
    )`.execute(db);
  await sql`
    create table events (
      position bigint generated always as identity primary key,
      transaction_id xid8 not null default pg_current_xact_id(),
      event_id uuid not null constraint events_event_id_unique unique,
      stream_name text not null,
      stream_revision bigint not null,
      event_type text not null,
      data jsonb not null,
      metadata jsonb not null,
      recorded_at timestamptz not null default now(),
      constraint events_stream_revision_unique unique (stream_name, stream_revision)
    )`.execute(db);
  await sql`create index events_commit_order on events (transaction_id, position)`.execute(db);
  // History is evidence: once written, an event is never changed or removed.
  await sql`
    create function events_are_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'events are immutable: % is not allowed', tg_op;
    end $$`.execute(db);
  await sql`
    create trigger events_immutable before update or delete on events
    for each row execute function events_are_immutable()`.execute(db);
  await sql`
    create trigger events_no_truncate before truncate on events
    for each statement execute function events_are_immutable()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table events`.execute(db);
  await sql`drop function events_are_immutable`.execute(db);
  await sql`drop table streams`.execute(db);
}
