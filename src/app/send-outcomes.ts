import { eventPattern, type Bus, type BusSubscription } from '../adapters/bus/port.js';
import type { RecordedEvent } from '../adapters/event-store/port.js';

export type SendOutcome =
  { kind: 'sent'; waMessageId: string } | { kind: 'failed'; reason: string } | { kind: 'pending' };

/** What became of a message so far, as the read models show it (undefined while it is pending). */
export type StoredOutcome = (sessionId: string, messageId: string) => Promise<SendOutcome | undefined>;

/**
 * Lets a request wait for what became of the message it asked to send: the outcome is handed over at once when
 * this process stored it, arrives on the bus from whichever other process sent it, and one settled already (a
 * replayed request) is read from the read models.
 */
export function createSendOutcomes(bus: Bus, subjectRoot: string, stored: StoredOutcome) {
  const waiting = new Map<string, Set<(outcome: SendOutcome) => void>>();
  const subscriptions: BusSubscription[] = [];
  const settle = (messageId: string, outcome: SendOutcome) =>
    waiting.get(messageId)?.forEach((resolve) => resolve(outcome));

  return {
    /** Settles the waits for outcomes this process has just stored, without waiting for the bus. */
    settleFrom(events: readonly RecordedEvent[]): void {
      for (const event of events) {
        const messageId = event.data.messageId as string;
        if (event.type === 'MessageSent')
          settle(messageId, { kind: 'sent', waMessageId: event.data.waMessageId as string });
        else if (event.type === 'MessageSendFailed' && event.data.final === true)
          settle(messageId, { kind: 'failed', reason: event.data.reason as string });
      }
    },

    async start(): Promise<void> {
      subscriptions.push(
        await bus.subscribe(eventPattern(subjectRoot, { eventType: 'MessageSent' }), (message) =>
          settle(String(message.data.messageId), {
            kind: 'sent',
            waMessageId: String(message.data.waMessageId),
          }),
        ),
        await bus.subscribe(eventPattern(subjectRoot, { eventType: 'MessageSendFailed' }), (message) => {
          if (message.data.final === true)
            settle(String(message.data.messageId), { kind: 'failed', reason: String(message.data.reason) });
        }),
      );
    },

    /** The outcome already stored, if the message was settled (a replayed request). */
    stored: (sessionId: string, messageId: string) => stored(sessionId, messageId),

    /** The outcome, or `pending` when none came within `timeoutMs`. */
    async waitFor(sessionId: string, messageId: string, timeoutMs: number): Promise<SendOutcome> {
      let resolve!: (outcome: SendOutcome) => void;
      const arrived = new Promise<SendOutcome>((r) => (resolve = r));
      const listeners = waiting.get(messageId) ?? new Set();
      waiting.set(messageId, listeners.add(resolve));
      const timer = setTimeout(() => resolve({ kind: 'pending' }), timeoutMs);
      try {
        const already = await stored(sessionId, messageId);
        return already ?? (await arrived);
      } finally {
        clearTimeout(timer);
        listeners.delete(resolve);
        if (listeners.size === 0) waiting.delete(messageId);
      }
    },

    async stop(): Promise<void> {
      await Promise.all(subscriptions.splice(0).map((s) => s.unsubscribe()));
    },
  };
}

export type SendOutcomes = ReturnType<typeof createSendOutcomes>;
