import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model-schema.js';
import type { SecretBox } from './secret-box.js';
import { createWebhookClaims } from './webhook-claims.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A delivery claimed by this process, with all it needs to be sent. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  sessionId: string;
  companyId: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  correlationId: string | null;
  attempts: number;
}

export interface Claim {
  url: string;
  secret: string;
  /** In the order their session's events were stored. */
  deliveries: ClaimedDelivery[];
  /**
   * When a claim could next find something: now when this one took deliveries; the earliest end of a wait (retry
   * or lease) when it found none; undefined when the webhook has nothing pending.
   */
  nextDueAt: Date | undefined;
}

/**
 * What became of one claimed delivery: sent (`delivered`); to be tried again after `delayMs` (`retry`, failed for
 * good once that passes its retry window); failed for good at once (`fail`); or not tried (`release`, e.g. an
 * earlier delivery of its session failed), back to the queue as it was.
 */
export type DeliveryOutcome =
  | { id: string; kind: 'delivered'; statusCode: number }
  | { id: string; kind: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { id: string; kind: 'fail'; statusCode: number | null; error: string }
  | { id: string; kind: 'release' };

/** The outcome of a claimed delivery that was not tried: back to the queue as it was. */
export const released = (id: string): DeliveryOutcome => ({ id, kind: 'release' });

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** The id of the request (or other cause) the event came from, when it carries one. */
  correlationId: string | null;
}

/**
 * The durable queue of webhook deliveries (table `webhook_deliveries`, filled by webhookFanOut). Any number of
 * gateway processes claim from it: a claim takes a per-webhook advisory lock for its transaction, so two processes
 * never claim a webhook's deliveries at once (which could split a session's events), and marks what it took as
 * claimed by its owner until the lease ends; the owner renews the lease while it works and records each outcome.
 * A process that dies leaves its claims to expire, and another process sends them again (at least once).
 */
export function createWebhookDeliveries(db: Kysely<ReadModelSchema>, box: SecretBox) {
  const claims = createWebhookClaims(db, box);
  return {
    /**
     * Up to `limit` deliveries of the webhook that are due, unclaimed, and have no earlier delivery of their
     * session pending that is not (so each session's events stay in order). Undefined when another process is
     * claiming for this webhook right now. Claims of several webhooks made at once go in one statement.
     */
    claim: claims.claim,

    /**
     * Extends the lease on deliveries this owner still works on. Rows locked right now are skipped: their outcome
     * is being recorded (which ends the claim), and the two statements lock a webhook's rows in different orders,
     * so waiting for them deadlocked against the batched outcomes under load.
     */
    async renew(webhookId: string, ids: readonly string[], owner: string, leaseMs: number): Promise<void> {
      if (ids.length === 0) return;
      await sql`update webhook_deliveries d
        set claimed_until = now() + make_interval(secs => ${leaseMs / 1000})
        from (select seq from webhook_deliveries
          where webhook_id = ${webhookId} and seq = any (${ids}::bigint[]) and claimed_by = ${owner}
          for update skip locked) free
        where d.webhook_id = ${webhookId} and d.seq = free.seq`.execute(db);
    },

    /**
     * Records the outcomes of this owner's claims and answers each delivery's new status (a retry past its window
     * is failed). An outcome for a claim this owner lost (its lease expired and another process took it) is
     * dropped: that process sends it again. Outcomes of several webhooks recorded at once go in one statement.
     */
    record: claims.record,

    /** The webhook's deliveries, most recent first. */
    async log(
      webhookId: string,
      options: { status?: DeliveryStatus; limit: number },
    ): Promise<DeliveryLogEntry[]> {
      const { rows } = await sql<{
        id: string;
        event_id: string;
        type: string;
        status: DeliveryStatus;
        attempts: number;
        last_status_code: number | null;
        last_error: string | null;
        next_attempt_at: Date;
        delivered_at: Date | null;
        correlation_id: string | null;
      }>`select d.seq::text as id, d.event_id, e.type, d.status, d.attempts, d.last_status_code, d.last_error,
          d.next_attempt_at, d.delivered_at, e.correlation_id
        from webhook_deliveries d join webhook_events e on e.event_id = d.event_id
        where d.webhook_id = ${webhookId} and (${options.status ?? null}::text is null or d.status = ${options.status ?? null})
        order by d.seq desc
        limit ${options.limit}`.execute(db);
      return rows.map((row) => ({
        id: row.id,
        eventId: row.event_id,
        type: row.type,
        status: row.status,
        attempts: row.attempts,
        lastStatusCode: row.last_status_code,
        lastError: row.last_error,
        nextAttemptAt: row.status === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
        deliveredAt: row.delivered_at ? new Date(row.delivered_at).toISOString() : null,
        correlationId: row.correlation_id,
      }));
    },

    /** Queues one delivery again, now, with a fresh retry window; false when the webhook has no such delivery. */
    async retry(webhookId: string, deliveryId: string, retryHours: number): Promise<boolean> {
      const result = await sql`update webhook_deliveries set status = 'pending', attempts = 0,
          next_attempt_at = now(), give_up_at = now() + make_interval(secs => ${retryHours * 3600}),
          claimed_until = null, claimed_by = null, delivered_at = null, settled_at = null
        where webhook_id = ${webhookId} and seq = ${deliveryId}`.execute(db);
      return (result.numAffectedRows ?? 0n) > 0n;
    },

    /**
     * Queues again every kept event since `from` that the webhook wants now (the ones it was sent, and the ones
     * other webhooks of its company were sent while it did not exist or want them); answers how many.
     */
    async replay(webhookId: string, from: Date, retryHours: number): Promise<number> {
      const result = await sql`
        insert into webhook_deliveries (webhook_id, event_id, session_id, seq, give_up_at)
        select w.id, e.event_id, e.session_id, e.seq, now() + make_interval(secs => ${retryHours * 3600})
        from webhooks w join webhook_events e on e.company_id = w.company_id
        where w.id = ${webhookId} and e.occurred_at >= ${from.toISOString()}::timestamptz
          and (w.session_id is null or w.session_id::text = e.session_id)
          and (e.type = any (w.events) or '*' = any (w.events))
        on conflict (webhook_id, seq) do update set status = 'pending', attempts = 0,
          next_attempt_at = now(), give_up_at = excluded.give_up_at, claimed_until = null, claimed_by = null,
          delivered_at = null, settled_at = null`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}

export type WebhookDeliveries = ReturnType<typeof createWebhookDeliveries>;
