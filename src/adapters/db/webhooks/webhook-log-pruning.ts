import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model-schema.js';

/**
 * Deletes from the delivery log, a small batch per call so that no statement holds many rows locked: settled
 * deliveries (delivered or failed for good) settled before `before`, then the kept event bodies older than
 * `before` that no delivery refers to any more. A pending delivery is never deleted, nor the body it will send.
 * Answers how many rows went; fewer than `batchSize` of each means nothing older is left.
 */
export function createWebhookLogPruning(db: Kysely<ReadModelSchema>) {
  return {
    async deleteSettled(before: Date, batchSize: number): Promise<number> {
      const result = await sql`
        delete from webhook_deliveries d
        using (
          select webhook_id, seq from webhook_deliveries
          where status <> 'pending' and settled_at < ${before.toISOString()}::timestamptz
          limit ${batchSize}
          for update skip locked
        ) old
        where d.webhook_id = old.webhook_id and d.seq = old.seq and d.status <> 'pending'`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },

    async deleteUnusedBodies(before: Date, batchSize: number): Promise<number> {
      // A delivery refers to its body by event id and by position (seq): the position, with the company's
      // webhooks, finds it through each webhook's primary key.
      const result = await sql`
        delete from webhook_events e
        using (
          select k.event_id from webhook_events k
          where k.occurred_at < ${before.toISOString()}::timestamptz
            and not exists (
              select 1 from webhooks w join webhook_deliveries d on d.webhook_id = w.id and d.seq = k.seq
              where w.company_id = k.company_id)
          limit ${batchSize}
        ) unused
        where e.event_id = unused.event_id`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}

export type WebhookLogPruning = ReturnType<typeof createWebhookLogPruning>;
