import { eventPattern, type Bus, type BusSubscription } from '../adapters/bus/port.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { chatStreamName } from '../domain/chat/chat-stream.js';

export type SendOutcome =
  { kind: 'sent'; waMessageId: string } | { kind: 'failed'; reason: string } | { kind: 'pending' };

/**
 * Lets a request wait for what became of the message it asked to send: the outcome arrives on the bus from
 * whichever process sent it; one already stored (a replayed request) is read from the chat's history.
 */
export function createSendOutcomes(bus: Bus, subjectRoot: string, store: EventStore) {
  const waiting = new Map<string, Set<(outcome: SendOutcome) => void>>();
  const subscriptions: BusSubscription[] = [];
  const settle = (messageId: string, outcome: SendOutcome) =>
    waiting.get(messageId)?.forEach((resolve) => resolve(outcome));

  async function stored(
    sessionId: string,
    chatJid: string,
    messageId: string,
  ): Promise<SendOutcome | undefined> {
    const events = await store.readStream(chatStreamName(sessionId, chatJid), { direction: 'backwards' });
    for (const event of events) {
      if (event.data.messageId !== messageId) continue;
      if (event.type === 'MessageSent')
        return { kind: 'sent', waMessageId: event.data.waMessageId as string };
      if (event.type === 'MessageSendFailed' && event.data.final === true)
        return { kind: 'failed', reason: event.data.reason as string };
    }
    return undefined;
  }

  return {
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

    /** The outcome, or `pending` when none came within `timeoutMs`. */
    async waitFor(
      sessionId: string,
      chatJid: string,
      messageId: string,
      timeoutMs: number,
    ): Promise<SendOutcome> {
      let resolve!: (outcome: SendOutcome) => void;
      const arrived = new Promise<SendOutcome>((r) => (resolve = r));
      const listeners = waiting.get(messageId) ?? new Set();
      waiting.set(messageId, listeners.add(resolve));
      const timer = setTimeout(() => resolve({ kind: 'pending' }), timeoutMs);
      try {
        const already = await stored(sessionId, chatJid, messageId);
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
