import type { DriverCallbacks } from '../port.js';
import {
  booleanField,
  chatOfMessageKey,
  idList,
  isFields,
  numberField,
  serializedId,
  stringField,
} from './wpp-values.js';

type Payload<K extends keyof DriverCallbacks> = Parameters<NonNullable<DriverCallbacks[K]>>[0];

/** WA-JS gives some times in milliseconds and some in seconds; the port speaks seconds. */
function seconds(value: number | null, now: number): number {
  if (value === null) return Math.floor(now / 1000);
  return Math.floor(value > 1e12 ? value / 1000 : value);
}

/**
 * Maps `onMessageEdit` (`{ chat, id, msg }`: `id` is the edited message, `msg` it as it now reads); null when
 * unreadable.
 */
export function toEdit(data: unknown, now = Date.now()): Payload<'onEdited'> | null {
  if (!isFields(data)) return null;
  const msg = data['msg'];
  const waMessageId = serializedId(data['id']) ?? serializedId(isFields(msg) ? msg['id'] : null);
  const chatJid = (waMessageId ? chatOfMessageKey(waMessageId) : null) ?? serializedId(data['chat']);
  if (!waMessageId || !chatJid || !isFields(msg)) return null;
  const editedAt = numberField(msg, 'latestEditSenderTimestampMs') ?? numberField(msg, 't');
  const body = stringField(msg, 'body') ?? stringField(msg, 'caption') ?? '';
  return { waMessageId, chatJid, body, editedAt: seconds(editedAt, now) };
}

/** Maps `onReactionMessage` (`{ id, msgId, reactionText, sender, timestamp }`: `msgId` is the message reacted to). */
export function toReaction(data: unknown, now = Date.now()): Payload<'onReaction'> | null {
  if (!isFields(data)) return null;
  const waMessageId = serializedId(data['msgId']);
  const reactionId = serializedId(data['id']);
  const from = serializedId(data['sender']);
  const chatJid = waMessageId ? chatOfMessageKey(waMessageId) : null;
  if (!waMessageId || !reactionId || !from || !chatJid) return null;
  const emoji = typeof data['reactionText'] === 'string' ? data['reactionText'] : '';
  return {
    waMessageId,
    chatJid,
    reactionId,
    from,
    emoji,
    timestamp: seconds(numberField(data, 'timestamp'), now),
  };
}

/** Maps `onPollResponse` (`{ msgId, chatId, selectedOptions: [{ name, localId }], sender, timestamp }`). */
export function toPollVote(data: unknown, now = Date.now()): Payload<'onPollVote'> | null {
  if (!isFields(data)) return null;
  const waMessageId = serializedId(data['msgId']);
  const chatJid = serializedId(data['chatId']) ?? (waMessageId ? chatOfMessageKey(waMessageId) : null);
  const from = serializedId(data['sender']);
  if (!waMessageId || !chatJid || !from) return null;
  // WA-JS fills the list by option id, so it has holes (null once serialized).
  const options = Array.isArray(data['selectedOptions']) ? (data['selectedOptions'] as unknown[]) : [];
  const selectedOptions = options.flatMap((option) => {
    const name = stringField(option, 'name');
    return name ? [name] : [];
  });
  return {
    waMessageId,
    chatJid,
    from,
    selectedOptions,
    timestamp: seconds(numberField(data, 'timestamp'), now),
  };
}

/** Maps `onParticipantsChanged` (`{ by, groupId, action, who }`, as WPPConnect renames WA-JS's event). */
export function toParticipantsChange(data: unknown): Payload<'onParticipantsChanged'> | null {
  if (!isFields(data)) return null;
  const groupJid = serializedId(data['groupId']);
  const action = stringField(data, 'action') ?? stringField(data, 'operation');
  const participants = idList(data['who'] ?? data['participants']);
  if (!groupJid || !action || participants.length === 0) return null;
  return { groupJid, action, participants, by: serializedId(data['by'] ?? data['author']) };
}

/** Maps `onIncomingCall` (WhatsApp Web's call model: `{ id, peerJid, isVideo, isGroup, offerTime }`). */
export function toIncomingCall(data: unknown, now = Date.now()): Payload<'onIncomingCall'> | null {
  if (!isFields(data)) return null;
  const callId = serializedId(data['id']);
  const from = serializedId(data['peerJid']) ?? serializedId(data['from']);
  if (!callId || !from) return null;
  return {
    callId,
    from,
    isVideo: booleanField(data, 'isVideo'),
    isGroup: booleanField(data, 'isGroup'),
    timestamp: seconds(numberField(data, 'offerTime'), now),
  };
}
