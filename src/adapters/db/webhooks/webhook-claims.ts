import { sql, type Kysely } from 'kysely';
import { batchWhileBusy } from '../../event-store/postgres/batch-while-busy.js';
import type { ReadModelSchema } from '../read-model-schema.js';
import type { SecretBox } from './secret-box.js';
import type { Claim, ClaimedDelivery, DeliveryOutcome, DeliveryStatus } from './webhook-deliveries.js';

/** A claimed delivery as zl_claim_webhook_deliveries answers it (jsonb). */
interface ClaimedRow {
  id: string;
  eventId: string;
  sessionId: string;
  companyId: string;
  type: string;
  occurredAt: string;
  data: unknown;
  correlationId: string | null;
  attempts: number;
}

interface ClaimRow {
  /** False when another process is claiming for this webhook right now. */
  locked: boolean;
  url: string | null;
  secret_ciphertext: string | null;
  deliveries: ClaimedRow[] | null;
  pending: boolean | null;
  due: Date | null;
}

interface ClaimRequest {
  webhookId: string;
  owner: string;
  limit: number;
  leaseMs: number;
  resolve: (claim: Claim | undefined) => void;
  reject: (error: unknown) => void;
}

type RecordedStatus = { id: string; status: DeliveryStatus };

interface RecordRequest {
  webhookId: string;
  owner: string;
  outcomes: readonly DeliveryOutcome[];
  resolve: (statuses: RecordedStatus[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Claims and outcomes of webhook deliveries, grouped as the event store groups appends: what the lanes of a
 * process ask while a statement is in flight waits, then goes together in the next one. However many webhooks a
 * process sends for, its lanes hold at most one connection for claims and one for outcomes, so they never crowd
 * the hot path out of the pool, and a busy process claims for every woken lane in one round trip.
 */
export function createWebhookClaims(db: Kysely<ReadModelSchema>, box: SecretBox) {
  async function claimAll(batch: ClaimRequest[]): Promise<void> {
    try {
      const { rows } = await sql<ClaimRow & { n: string }>`
        select r.n::text as n, c.locked, c.url, c.secret_ciphertext, c.deliveries, c.pending, c.due
        from unnest(
          ${batch.map((request) => request.webhookId)}::uuid[],
          ${batch.map((request) => request.owner)}::text[],
          ${batch.map((request) => request.limit)}::integer[],
          ${batch.map((request) => request.leaseMs)}::bigint[]
        ) with ordinality as r (webhook_id, owner, claim_limit, lease_ms, n)
        cross join lateral zl_claim_webhook_deliveries(r.webhook_id, r.owner, r.claim_limit, r.lease_ms) c
        order by r.n`.execute(db);
      const byIndex = new Map(rows.map((row) => [Number(row.n) - 1, row]));
      batch.forEach((request, index) => request.resolve(toClaim(byIndex.get(index))));
    } catch (error) {
      for (const request of batch) request.reject(error);
    }
  }

  function toClaim(row: ClaimRow | undefined): Claim | undefined {
    if (!row?.locked) return undefined;
    const claimed = (row.deliveries ?? []).map(toClaimed);
    return {
      url: row.url ?? '',
      secret: row.secret_ciphertext === null ? '' : box.open(row.secret_ciphertext),
      deliveries: claimed,
      nextDueAt: claimed.length > 0 ? new Date() : row.pending ? new Date(row.due ?? Date.now()) : undefined,
    };
  }

  async function recordAll(batch: RecordRequest[]): Promise<void> {
    try {
      const all = batch.flatMap(({ webhookId, owner, outcomes }, index) =>
        outcomes.map((outcome) => ({ webhookId, owner, outcome, index })),
      );
      const field = <T>(pick: (outcome: DeliveryOutcome) => T) => all.map(({ outcome }) => pick(outcome));
      const { rows } = await sql<RecordedStatus & { webhook_id: string }>`
        update webhook_deliveries d set
          attempts = d.attempts + case when o.kind = 'release' then 0 else 1 end,
          status = case
            when o.kind = 'delivered' then 'delivered'
            when o.kind = 'fail' then 'failed'
            when o.kind = 'retry' and clock_timestamp() + make_interval(secs => o.delay_ms / 1000.0) > d.give_up_at
              then 'failed'
            else d.status end,
          next_attempt_at = case when o.kind = 'retry'
            then clock_timestamp() + make_interval(secs => o.delay_ms / 1000.0) else d.next_attempt_at end,
          last_status_code = case when o.kind = 'release' then d.last_status_code else o.status_code end,
          last_error = case when o.kind = 'release' then d.last_error else o.error end,
          delivered_at = case when o.kind = 'delivered' then clock_timestamp() else d.delivered_at end,
          settled_at = case
            when o.kind in ('delivered', 'fail') then clock_timestamp()
            when o.kind = 'retry' and clock_timestamp() + make_interval(secs => o.delay_ms / 1000.0) > d.give_up_at
              then clock_timestamp()
            else null end,
          claimed_until = null,
          claimed_by = null
        from unnest(
          ${all.map(({ webhookId }) => webhookId)}::uuid[],
          ${all.map(({ owner }) => owner)}::text[],
          ${field((o) => o.id)}::bigint[],
          ${field((o) => o.kind)}::text[],
          ${field((o) => ('statusCode' in o ? o.statusCode : null))}::integer[],
          ${field((o) => ('error' in o ? o.error.slice(0, 500) : null))}::text[],
          ${field((o) => (o.kind === 'retry' ? o.delayMs : 0))}::bigint[]
        ) as o (webhook_id, owner, id, kind, status_code, error, delay_ms)
        where d.webhook_id = o.webhook_id and d.seq = o.id and d.claimed_by = o.owner
        returning d.webhook_id::text as webhook_id, d.seq::text as id, d.status`.execute(db);
      // Each status goes back to the lane whose outcome it answers.
      const statuses = batch.map((): RecordedStatus[] => []);
      const requestOf = new Map(
        all.map(({ webhookId, outcome, index }) => [`${webhookId}:${outcome.id}`, index]),
      );
      for (const { webhook_id, id, status } of rows) {
        const at = requestOf.get(`${webhook_id}:${id}`);
        if (at !== undefined) statuses[at]!.push({ id, status });
      }
      batch.forEach((request, index) => request.resolve(statuses[index]!));
    } catch (error) {
      for (const request of batch) request.reject(error);
    }
  }

  const takeAll = <T>(queue: T[]) => queue.splice(0, queue.length);
  const claims = batchWhileBusy(takeAll<ClaimRequest>, claimAll);
  const records = batchWhileBusy(takeAll<RecordRequest>, recordAll);

  return {
    claim: (webhookId: string, owner: string, limit: number, leaseMs: number): Promise<Claim | undefined> =>
      new Promise((resolve, reject) => claims({ webhookId, owner, limit, leaseMs, resolve, reject })),
    record: (
      webhookId: string,
      outcomes: readonly DeliveryOutcome[],
      owner: string,
    ): Promise<RecordedStatus[]> =>
      outcomes.length === 0
        ? Promise.resolve([])
        : new Promise((resolve, reject) => records({ webhookId, owner, outcomes, resolve, reject })),
  };
}

function toClaimed(row: ClaimedRow): ClaimedDelivery {
  return { ...row, occurredAt: new Date(row.occurredAt) };
}
