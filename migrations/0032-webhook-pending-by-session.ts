import { sql, type Kysely } from 'kysely';

/**
 * Every pending delivery by webhook and session (it was only those that can hold a session back). The fan-out
 * asks, for each delivery it queues, whether its session has anything pending for the webhook but this process's
 * own first attempts (webhook-fan-out.ts); the claims' "holding" question reads the same index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index webhook_deliveries_pending_by_session on webhook_deliveries (webhook_id, session_id, seq)
    where status = 'pending'`.execute(db);
  await sql`drop index webhook_deliveries_holding`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index webhook_deliveries_holding on webhook_deliveries (webhook_id, session_id, seq)
    where status = 'pending' and (claimed_by is not null or attempts > 0)`.execute(db);
  await sql`drop index webhook_deliveries_pending_by_session`.execute(db);
}
