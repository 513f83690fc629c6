import type { ChatEvent } from '../domain/chat/chat-events.js';

/** A send whose echo arrives this long before the attempt was recorded is not counted (clocks differ a little). */
const clockSkewMs = 5000;

/**
 * WhatsApp echoes every message a session sends. After a crash mid-send, the echo of the lost attempt — an own
 * message with the same text, after the attempt started, not yet tied to another send — shows it went out.
 */
export function findEcho(
  events: readonly (ChatEvent & { recordedAt: Date })[],
  body: string,
  attemptStartedAt: string | null,
): { waMessageId: string; timestamp: number } | undefined {
  const since = attemptStartedAt ? Date.parse(attemptStartedAt) - clockSkewMs : 0;
  const claimed = new Set(events.flatMap((e) => (e.type === 'MessageSent' ? [e.data.waMessageId] : [])));
  for (const event of events) {
    if (event.type !== 'MessageReceived' || !event.data.fromMe || event.data.body !== body) continue;
    if (event.recordedAt.getTime() < since || claimed.has(event.data.waMessageId)) continue;
    return { waMessageId: event.data.waMessageId, timestamp: event.data.timestamp };
  }
  return undefined;
}
