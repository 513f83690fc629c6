import { sql, type Kysely } from 'kysely';

/**
 * Pending deliveries by webhook, session and claimant. For each delivery it queues, the fan-out asks whether its
 * session has anything pending for the webhook but this process's own first attempts (webhook-fan-out.ts); read
 * through the index by session alone, that question stepped over every first attempt held here, so once
 * deliveries fell behind, each message's commit grew with the backlog and intake collapsed (issue 15). With the
 * claimant in the index it is three short probes, whatever the backlog. The price: a claim or release (which
 * changes `claimed_by`) is no longer a heap-only update; outcomes, which change `status`, already were not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists webhook_deliveries_pending_by_claimant
    on webhook_deliveries (webhook_id, session_id, claimed_by) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_pending_by_claimant`.execute(db);
}
