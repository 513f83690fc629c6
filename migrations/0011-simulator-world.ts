import { sql, type Kysely } from 'kysely';

/**
 * The simulator plays one WhatsApp for the whole cluster, as WhatsApp's servers would: the phones it has
 * linked and everything it was asked to send, shared by every gateway process (the tables stay empty when the
 * simulator is not used).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table simulator_logins (
      session_id text primary key,
      wa_id text not null,
      linked_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table simulator_sent (
      position bigint generated always as identity primary key,
      session_id text not null,
      wa_message_id text not null,
      to_jid text not null,
      type text not null,
      body text not null,
      sent_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index simulator_sent_by_session on simulator_sent (session_id, position)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table simulator_sent`.execute(db);
  await sql`drop table simulator_logins`.execute(db);
}
