import { sql, type Kysely } from 'kysely';

/**
 * Work that one gateway process of a cluster does at a time (the relay's catch-up): the process holding the
 * lease does it and renews the lease; when it dies, another takes the work over once the lease has expired.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table singleton_leases (
      name text primary key,
      owner text not null,
      expires_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table singleton_leases`.execute(db);
}
