import type { Ack, Message } from './types.js';

const byTime = (a: Message, b: Message) => a.timestamp - b.timestamp;

/**
 * Messages of one chat, oldest first, without duplicates: a message read again (a page, a frame that crossed a
 * read) replaces the one kept, but its delivery status never goes back.
 */
export function mergeMessages(kept: readonly Message[], incoming: readonly Message[]): Message[] {
  const merged = new Map(kept.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = merged.get(message.id);
    merged.set(message.id, known ? { ...message, status: Math.max(known.status, message.status) } : message);
  }
  return [...merged.values()].sort(byTime);
}

/**
 * An `ack` frame applied: the status only moves forward. A sent message is first known by the gateway's own id
 * and then by its WhatsApp id, which the ack that carries both (`messageId` → `id`) gives it.
 */
export function applyAck(messages: readonly Message[], ack: Ack): Message[] {
  const renamed = ack.messageId !== undefined && messages.some((m) => m.id === ack.id);
  return messages
    .filter((m) => !(renamed && m.id === ack.messageId))
    .map((m) =>
      m.id === ack.id || m.id === ack.messageId
        ? { ...m, id: ack.id, status: Math.max(m.status, ack.status) }
        : m,
    );
}

/** What a delivery status looks like: ✓ sent, ✓✓ delivered, blue ✓✓ read or played, ! failed. */
export function tickOf(status: number): { symbol: string; read: boolean } {
  if (status <= 0) return { symbol: '!', read: false };
  if (status === 1) return { symbol: '…', read: false };
  if (status === 2) return { symbol: '✓', read: false };
  return { symbol: '✓✓', read: status >= 4 };
}
