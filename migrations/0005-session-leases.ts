import { sql, type Kysely } from 'kysely';

/**
 * Which gateway process runs each session's driver. A lease expires unless its owner renews it (each heartbeat),
 * so a session whose process died is taken over by another, and two processes never drive the same number.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table session_leases (
      session_id uuid primary key,
      owner text not null,
      expires_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table session_leases`.execute(db);
}
