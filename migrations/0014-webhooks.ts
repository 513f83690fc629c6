import { sql, type Kysely } from 'kysely';

/**
 * Webhooks and their deliveries. A delivery is keyed by its webhook and its event's position in the store (`seq`,
 * one per event), which also orders the delivery log; the hot path writes a row per webhook and event, so the
 * table has three indexes, one of them holding only the few deliveries in flight or waiting for a retry. `webhook_events` keeps each event a webhook wanted, once, as it is sent (its
 * frame type and data), so that every attempt and a replay send the same body. `webhook_deliveries` is the
 * durable queue: one row per webhook and event, written in the transaction that stores the event and claimed by
 * one gateway process at a time (`claimed_until`). A pending delivery is only claimed once every earlier pending
 * delivery of its session to the same webhook is claimable too, which keeps a session's events in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhooks (
      id uuid primary key,
      company_id text not null,
      session_id uuid,
      url text not null,
      events text[] not null,
      secret_ciphertext text not null,
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index webhooks_by_company on webhooks (company_id, created_at)`.execute(db);
  await sql`
    create table webhook_events (
      event_id uuid primary key,
      seq bigint not null,
      company_id text not null,
      session_id text not null,
      type text not null,
      occurred_at timestamptz not null,
      data jsonb not null,
      correlation_id text
    )`.execute(db);
  await sql`create index webhook_events_by_time on webhook_events (company_id, occurred_at)`.execute(db);
  await sql`
    create table webhook_deliveries (
      webhook_id uuid not null references webhooks (id) on delete cascade,
      event_id uuid not null,
      session_id text not null,
      seq bigint not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      next_attempt_at timestamptz not null default now(),
      give_up_at timestamptz not null,
      claimed_until timestamptz,
      claimed_by text,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      primary key (webhook_id, seq)
    ) with (fillfactor = 80)`.execute(db);
  // The queue, in order: a claim reads it from the front and stops once it has enough.
  await sql`create index webhook_deliveries_pending on webhook_deliveries (webhook_id, seq)
    where status = 'pending'`.execute(db);
  // The few pending deliveries that can hold their session back (in flight, or waiting for a retry).
  await sql`create index webhook_deliveries_holding on webhook_deliveries (webhook_id, session_id, seq)
    where status = 'pending' and (claimed_by is not null or attempts > 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_events`.execute(db);
  await sql`drop table webhooks`.execute(db);
}
