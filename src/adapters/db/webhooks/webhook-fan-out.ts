import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../event-store/port.js';
import type { ReadModelSchema } from '../read-model-schema.js';
import { createFirstAttemptHandOver, type FirstAttempts, type QueuedRow } from './first-attempt-hand-over.js';

/** What a webhook is sent about one event: the type and data of the event's WebSocket frame. */
export interface WebhookFrame {
  type: string;
  data: unknown;
}

/**
 * The channel the fan-out notifies, at commit, with `<origin>|<company id>` for each company it queued deliveries
 * for that any process may claim: every other process listening wakes those companies' lanes at once, wherever
 * the events were stored (the process that stored them wakes its own in-process, and skips its own origin).
 */
export const webhookDeliveriesChannel = 'zapledger_webhook_deliveries';

/** The origin and company of a notification on `webhookDeliveriesChannel`. */
export function parseDeliveriesNotification(payload: string): { origin: string; companyId: string } {
  const bar = payload.indexOf('|');
  return { origin: payload.slice(0, bar), companyId: payload.slice(bar + 1) };
}

export type FrameOf = (event: RecordedEvent) => WebhookFrame | undefined;

/**
 * Queues the deliveries of a batch of stored events, in the transaction that stores them (so that none is lost
 * and none is queued for an event that was not stored): one statement per batch matches the events to the
 * enabled webhooks of their company (all sessions or theirs, the frame type or `*`), keeps each matched event's
 * body once in `webhook_events`, and adds one pending delivery per webhook and event. Events no webhook wants
 * leave nothing behind. Applying the same events again queues nothing twice. Once the transaction commits, the
 * listeners of `webhookDeliveriesChannel` hear of the companies whose deliveries were queued.
 *
 * With `firstAttempts` taken (by this process's webhook worker) and `{ claim: true }` (the append's own
 * transaction), a delivery whose session has nothing pending for its webhook but this process's own first
 * attempts is queued already claimed by them (`firstAttempts.owner`, under a lease): after the commit the worker
 * sends it from memory, with no claim in between (first-attempt-hand-over.ts).
 */
export function webhookFanOut(frameOf: FrameOf, options: { retryHours: number; leaseMs?: number }) {
  /** This fan-out's name in its notifications. */
  const origin = randomUUID();
  const firstAttempts = createFirstAttemptHandOver(`first-attempts:${origin}`);
  const leaseMs = options.leaseMs ?? 40_000;
  const fanOut = async (
    db: Kysely<ReadModelSchema>,
    events: readonly RecordedEvent[],
    { claim = false }: { claim?: boolean } = {},
  ): Promise<void> => {
    const rows = events.flatMap((event) => {
      const frame = frameOf(event);
      const { companyId, sessionId, correlationId } = event.metadata;
      if (!frame || typeof companyId !== 'string' || typeof sessionId !== 'string') return [];
      return [{ event, frame, companyId, sessionId, correlationId: stringOrNull(correlationId) }];
    });
    const claimAs = claim && firstAttempts.taken() ? firstAttempts.owner : null;
    if (claimAs) firstAttempts.forget(events);
    if (rows.length === 0) return;
    const { rows: queued } = await sql<QueuedRow>`
      with input as (
        select * from unnest(
          ${rows.map((row) => row.event.id)}::uuid[],
          ${rows.map((row) => row.event.position.toString())}::bigint[],
          ${rows.map((row) => row.companyId)}::text[],
          ${rows.map((row) => row.sessionId)}::text[],
          ${rows.map((row) => row.frame.type)}::text[],
          ${rows.map((row) => row.event.recordedAt.toISOString())}::timestamptz[],
          ${rows.map((row) => JSON.stringify(row.frame.data))}::jsonb[],
          ${rows.map((row) => row.correlationId)}::text[]
        ) as i (event_id, seq, company_id, session_id, type, occurred_at, data, correlation_id)
      ),
      matched as (
        select w.id as webhook_id, w.url, w.secret_ciphertext, i.event_id, i.session_id, i.seq, i.company_id,
          -- Nothing pending but ours: unclaimed, or claimed by a name before or after ours (short probes of
          -- webhook_deliveries_pending_by_claimant, however many of ours are held).
          ${claimAs}::text is not null
            and not exists (select 1 from webhook_deliveries p where p.webhook_id = w.id
              and p.session_id = i.session_id and p.status = 'pending' and p.claimed_by is null)
            and not exists (select 1 from webhook_deliveries p where p.webhook_id = w.id
              and p.session_id = i.session_id and p.status = 'pending' and p.claimed_by < ${claimAs}::text)
            and not exists (select 1 from webhook_deliveries p where p.webhook_id = w.id
              and p.session_id = i.session_id and p.status = 'pending' and p.claimed_by > ${claimAs}::text)
            as born_claimed
        from input i
        join webhooks w on w.company_id = i.company_id and w.enabled
          and (w.session_id is null or w.session_id::text = i.session_id)
          and (i.type = any (w.events) or '*' = any (w.events))
      ),
      kept as (
        insert into webhook_events (event_id, seq, company_id, session_id, type, occurred_at, data, correlation_id)
        select i.* from input i where i.event_id in (select event_id from matched)
        on conflict (event_id) do nothing
      ),
      queued as (
        insert into webhook_deliveries (webhook_id, event_id, session_id, seq, give_up_at, claimed_by, claimed_until)
        select webhook_id, event_id, session_id, seq, now() + make_interval(secs => ${options.retryHours * 3600}),
          case when born_claimed then ${claimAs}::text end,
          case when born_claimed then now() + make_interval(secs => ${leaseMs / 1000}) end
        from matched
        on conflict (webhook_id, seq) do nothing
        returning webhook_id, seq, event_id, claimed_by is not null as born_claimed
      ),
      -- What was queued is joined back to webhooks (by its key), never to the other CTEs: PostgreSQL cannot
      -- estimate their rows, and the nested loops it chose between them grew with the square of the batch (a
      -- batch of 500 events to 10 webhooks took seconds, and intake fell to under 200 messages a second).
      announced as (
        select c.company_id, c.event_id, pg_notify(${webhookDeliveriesChannel}, ${origin} || '|' || c.company_id)
        from (select distinct on (w.company_id) w.company_id, q.event_id from queued q
              join webhooks w on w.id = q.webhook_id
              where not q.born_claimed
              order by w.company_id, q.seq) c
      )
      select q.webhook_id::text as webhook_id, q.seq::text as seq, q.event_id::text as event_id, w.url,
        w.secret_ciphertext, null as company_id
      from queued q join webhooks w on w.id = q.webhook_id
      where q.born_claimed
      union all
      select null, null, a.event_id::text, null, null, a.company_id from announced a`.execute(db);
    if (claimAs) firstAttempts.queued(rows, queued);
  };
  return Object.assign(fanOut, { origin, firstAttempts });
}

export type WebhookFanOut = ReturnType<typeof webhookFanOut>;
export type { FirstAttempts };

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
