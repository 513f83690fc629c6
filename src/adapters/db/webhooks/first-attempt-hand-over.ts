import type { RecordedEvent } from '../../event-store/port.js';
import type { ClaimedDelivery } from './webhook-deliveries.js';
import type { WebhookFrame } from './webhook-fan-out.js';

/** A delivery queued already claimed by this process: it is sent from memory, with no claim. */
export interface FirstAttempt {
  webhookId: string;
  url: string;
  secretCiphertext: string;
  delivery: ClaimedDelivery;
}

/** What the commit of a group of events left this process to do for webhooks. */
export interface CommittedDeliveries {
  firstAttempts: FirstAttempt[];
  /** Companies with deliveries queued for any process to claim (their lanes here look now). */
  queuedFor: Set<string>;
}

export interface FannedOutEvent {
  event: RecordedEvent;
  frame: WebhookFrame;
  companyId: string;
  sessionId: string;
  correlationId: string | null;
}

/** A delivery the fan-out queued claimed for a first attempt here, or (webhook_id null) a company it notified. */
export type QueuedRow =
  | { webhook_id: string; seq: string; event_id: string; url: string; secret_ciphertext: string }
  | { webhook_id: null; event_id: string; company_id: string };

/** More events than this between their fan-out and their commit means some transactions rolled back. */
const heldEventsLimit = 20_000;

/**
 * Carries what the fan-out queued inside an append's transaction to the moment that transaction commits: the
 * deliveries queued claimed by `owner` (this process's first attempts) and the companies notified. Nothing is
 * handed over for a transaction that rolled back (its events never reach `committed`). Should a transaction's
 * entries be dropped anyway (the limit), its claimed deliveries are sent by a lane once their lease ends.
 */
export function createFirstAttemptHandOver(owner: string) {
  let receiver: ((committed: CommittedDeliveries) => void) | undefined;
  const byEvent = new Map<string, { attempts: FirstAttempt[]; companies: string[] }>();

  function entryOf(eventId: string) {
    let entry = byEvent.get(eventId);
    if (!entry) byEvent.set(eventId, (entry = { attempts: [], companies: [] }));
    return entry;
  }

  return {
    owner,
    /** Whether a worker takes first attempts; until then nothing is queued claimed. */
    taken: (): boolean => receiver !== undefined,
    take(handler: (committed: CommittedDeliveries) => void): void {
      receiver = handler;
    },
    /** These events are fanned out (again): what an earlier, rolled-back try left is void. */
    forget(events: readonly RecordedEvent[]): void {
      for (const event of events) byEvent.delete(event.id);
    },
    queued(inputs: readonly FannedOutEvent[], rows: readonly QueuedRow[]): void {
      const byId = new Map(inputs.map((input) => [input.event.id, input]));
      for (const row of rows) {
        if (row.webhook_id === null) {
          entryOf(row.event_id).companies.push(row.company_id);
          continue;
        }
        const input = byId.get(row.event_id);
        if (!input) continue;
        entryOf(row.event_id).attempts.push({
          webhookId: row.webhook_id,
          url: row.url,
          secretCiphertext: row.secret_ciphertext,
          delivery: {
            id: row.seq,
            eventId: input.event.id,
            sessionId: input.sessionId,
            companyId: input.companyId,
            type: input.frame.type,
            occurredAt: input.event.recordedAt,
            data: input.frame.data,
            correlationId: input.correlationId,
            attempts: 0,
          },
        });
      }
      for (const eventId of byEvent.keys()) {
        if (byEvent.size <= heldEventsLimit) break;
        byEvent.delete(eventId);
      }
    },
    /** The events' transaction committed: hands their deliveries to the worker. */
    committed(events: readonly RecordedEvent[]): void {
      const committed: CommittedDeliveries = { firstAttempts: [], queuedFor: new Set() };
      for (const event of events) {
        const entry = byEvent.get(event.id);
        if (!entry) continue;
        byEvent.delete(event.id);
        committed.firstAttempts.push(...entry.attempts);
        for (const company of entry.companies) committed.queuedFor.add(company);
      }
      if (committed.firstAttempts.length > 0 || committed.queuedFor.size > 0) receiver?.(committed);
    },
  };
}

export type FirstAttempts = ReturnType<typeof createFirstAttemptHandOver>;
