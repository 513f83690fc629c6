import type { EventStore } from '../adapters/event-store/port.js';
import { chatStream } from '../domain/chat/chat-stream.js';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { parseEvent } from '../domain/event-stream.js';

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

const pageSize = 100;

/**
 * Looks for the echo of an attempt in the chat's latest events, read backwards only as far as the attempt's
 * start: a long chat is never read whole.
 */
export async function findEchoInStream(
  store: EventStore,
  streamName: string,
  body: string,
  attemptStartedAt: string | null,
): Promise<{ waMessageId: string; timestamp: number } | undefined> {
  const since = attemptStartedAt ? Date.parse(attemptStartedAt) - clockSkewMs : 0;
  const recent: (ChatEvent & { recordedAt: Date })[] = [];
  let before: bigint | undefined;
  for (;;) {
    const page = await store.readStream(streamName, {
      direction: 'backwards',
      maxCount: pageSize,
      ...(before === undefined ? {} : { fromRevision: before }),
    });
    for (const event of page)
      recent.unshift({ ...parseEvent(chatStream, event.type, event.data), recordedAt: event.recordedAt });
    const oldest = page.at(-1);
    if (page.length < pageSize || !oldest || oldest.recordedAt.getTime() < since || oldest.revision === 0n)
      break;
    before = oldest.revision - 1n;
  }
  return findEcho(recent, body, attemptStartedAt);
}
