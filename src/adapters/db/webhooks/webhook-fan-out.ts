import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../event-store/port.js';
import type { ReadModelSchema } from '../read-model-schema.js';

/** What a webhook is sent about one event: the type and data of the event's WebSocket frame. */
export interface WebhookFrame {
  type: string;
  data: unknown;
}

/**
 * The channel the fan-out notifies, at commit, with `<origin>|<company id>` for each company it queued deliveries
 * for: every other process listening wakes those companies' lanes at once, wherever the events were stored (the
 * process that stored them has woken its own already, in-process, and skips its own origin).
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
 */
export function webhookFanOut(frameOf: FrameOf, options: { retryHours: number }) {
  /** This fan-out's name in its notifications. */
  const origin = randomUUID();
  const fanOut = async (db: Kysely<ReadModelSchema>, events: readonly RecordedEvent[]): Promise<void> => {
    const rows = events.flatMap((event) => {
      const frame = frameOf(event);
      const { companyId, sessionId, correlationId } = event.metadata;
      if (!frame || typeof companyId !== 'string' || typeof sessionId !== 'string') return [];
      return [{ event, frame, companyId, sessionId, correlationId: stringOrNull(correlationId) }];
    });
    if (rows.length === 0) return;
    await sql`
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
        select w.id as webhook_id, i.event_id, i.session_id, i.seq, i.company_id
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
        insert into webhook_deliveries (webhook_id, event_id, session_id, seq, give_up_at)
        select webhook_id, event_id, session_id, seq, now() + make_interval(secs => ${options.retryHours * 3600})
        from matched
        on conflict (webhook_id, seq) do nothing
        returning webhook_id
      )
      select pg_notify(${webhookDeliveriesChannel}, ${origin} || '|' || m.company_id)
      from (select distinct company_id from matched) m
      where exists (select 1 from queued)`.execute(db);
  };
  return Object.assign(fanOut, { origin });
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
