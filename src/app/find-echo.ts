import type { EventStore } from '../adapters/event-store/port.js';
import { chatStream } from '../domain/chat/chat-stream.js';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { parseEvent } from '../domain/event-stream.js';

/** A send whose echo arrives this long before the attempt was recorded is not counted (clocks differ a little). */
const clockSkewMs = 5000;

export interface Echo {
  waMessageId: string;
  timestamp: number;
  /** The echo of a change to a message (`waMessageId` is the message changed), not of a new message. */
  change?: boolean;
}

/** Tells whether an event is the echo of a send. */
export type EchoMatcher = (event: ChatEvent) => Echo | undefined;

type Requested = Extract<ChatEvent, { type: 'MessageSendRequested' }>['data'];

type Received = Extract<ChatEvent, { type: 'MessageReceived' }>['data'];

const ownMessage = (event: ChatEvent, matches: (data: Received) => boolean): Echo | undefined =>
  event.type === 'MessageReceived' && event.data.fromMe && matches(event.data)
    ? { waMessageId: event.data.waMessageId, timestamp: event.data.timestamp }
    : undefined;

/**
 * What the echo of a request looks like: an own message with the same text (or the same poll, the same place),
 * or, for a change to a message, the reaction, edit or deletion of that message.
 */
export function echoOf(request: Requested): EchoMatcher {
  const { action, poll, location, body } = request;
  if (action) {
    const change = (waMessageId: string, timestamp: number): Echo => ({
      waMessageId,
      timestamp,
      change: true,
    });
    switch (action.kind) {
      case 'react':
        return (event) =>
          event.type === 'MessageReacted' &&
          event.data.waMessageId === action.waMessageId &&
          event.data.emoji === action.emoji &&
          (request.from === null || event.data.from === request.from)
            ? change(action.waMessageId, event.data.timestamp)
            : undefined;
      case 'edit':
        return (event) =>
          event.type === 'MessageEdited' &&
          event.data.waMessageId === action.waMessageId &&
          event.data.body === body
            ? change(action.waMessageId, event.data.editedAt)
            : undefined;
      case 'revoke':
        return (event) =>
          event.type === 'MessageRevoked' && event.data.waMessageId === action.waMessageId
            ? change(action.waMessageId, Math.floor(Date.now() / 1000))
            : undefined;
    }
  }
  if (poll) return (event) => ownMessage(event, (data) => data.poll?.name === poll.name);
  if (location)
    return (event) =>
      ownMessage(
        event,
        (data) => data.location?.lat === location.latitude && data.location.lng === location.longitude,
      );
  return (event) => ownMessage(event, (data) => data.body === body);
}

/**
 * WhatsApp echoes every message a session sends. After a crash mid-send, the echo of the lost attempt — an own
 * message with the same text (or what `lookFor` recognises), after the attempt started, not yet tied to another
 * send — shows it went out.
 */
export function findEcho(
  events: readonly (ChatEvent & { recordedAt: Date })[],
  lookFor: string | EchoMatcher,
  attemptStartedAt: string | null,
): Echo | undefined {
  const matches =
    typeof lookFor === 'string'
      ? (event: ChatEvent) => ownMessage(event, (data) => data.body === lookFor)
      : lookFor;
  const since = attemptStartedAt ? Date.parse(attemptStartedAt) - clockSkewMs : 0;
  const claimed = new Set(
    events.flatMap((e) => (e.type === 'MessageSent' && !e.data.action ? [e.data.waMessageId] : [])),
  );
  for (const event of events) {
    if (event.recordedAt.getTime() < since) continue;
    const echo = matches(event);
    if (!echo || (!echo.change && claimed.has(echo.waMessageId))) continue;
    return echo;
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
  lookFor: string | EchoMatcher,
  attemptStartedAt: string | null,
): Promise<Echo | undefined> {
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
  return findEcho(recent, lookFor, attemptStartedAt);
}
