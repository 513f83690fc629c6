import { sql, type Kysely } from 'kysely';

/**
 * Each entry of the simulator's sent log carries an id of its own, made when the phone sent: a write retried after
 * its connection was cut (the insert committed, the answer lost) then records it once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table simulator_sent add column if not exists entry_id text`.execute(db);
  await sql`create unique index if not exists simulator_sent_entry on simulator_sent (entry_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists simulator_sent_entry`.execute(db);
  await sql`alter table simulator_sent drop column if exists entry_id`.execute(db);
}
