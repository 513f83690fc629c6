import { sql, type Kysely } from 'kysely';

/**
 * Each session's WhatsApp login, backed up from the process that runs it (WPPConnect's browser profile without
 * its caches, compressed): whichever process takes the session over restores it, without a new QR code and
 * without a shared disk.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table session_login_backups (
      session_id text primary key,
      archive bytea not null,
      taken_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table session_login_backups`.execute(db);
}
