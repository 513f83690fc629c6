import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys of the send endpoint: the first request with a key on a session claims it; a replay finds
 * the message it created. Rows are kept for at least 24 hours (purged after 7 days).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table idempotency_keys (
      session_id uuid not null,
      key text not null,
      request_hash text not null,
      message_id uuid not null,
      chat_jid text not null,
      created_at timestamptz not null default now(),
      primary key (session_id, key)
    )`.execute(db);
  await sql`create index idempotency_keys_by_age on idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db);
}
