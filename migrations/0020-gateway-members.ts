import { sql, type Kysely } from 'kysely';

/**
 * The gateway processes alive now: each renews its row on every heartbeat, in the statement that renews its
 * session leases. Sessions are spread over these, a newly joined process included while it holds none yet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table gateway_members (
      owner text primary key,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index session_leases_by_owner on session_leases (owner)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index session_leases_by_owner`.execute(db);
  await sql`drop table gateway_members`.execute(db);
}
