import type { MessageAckValue } from './message-ack.js';

/** A send requested and not settled yet. Its text stays in its request event, not in the state. */
export interface OpenSend {
  messageId: string;
  attempts: number;
  /** The last attempt was recorded with no outcome yet: after a crash, whether WhatsApp got it is unknown. */
  attemptOpen: boolean;
  /** When the last attempt started (ISO), to look for its echo after a crash. */
  lastAttemptAt: string | null;
}

export interface SettledSend {
  messageId: string;
  status: 'sent' | 'failed';
}

/** A message WhatsApp knows of in this chat: its delivery status and whether it was revoked. */
export interface KnownMessage {
  waMessageId: string;
  ack: MessageAckValue | null;
  revoked: boolean;
  /**
   * The message itself was recorded (received, or sent by the gateway); false when only a later fact about it
   * (an ack, a deletion) arrived first. Absent in states kept before it existed: then taken as recorded.
   */
  recorded?: boolean;
}

/**
 * What a chat's decisions need, bounded whatever the chat's length: the sends still open, and windows of the
 * most recent settled sends and messages. A fact older than the windows that arrives again is still stored only
 * once (its event id is deterministic), and the read models never move an ack backwards. Plain data, so that a
 * snapshot can keep it.
 */
export interface ChatState {
  openSends: readonly OpenSend[];
  /** The most recent settled sends, oldest first. */
  settledSends: readonly SettledSend[];
  /** The most recent messages, oldest first. */
  recentMessages: readonly KnownMessage[];
  /** Incoming messages since the chat was last read. */
  unread: number;
}

/** How many settled sends and recent messages a chat's state remembers. */
export const chatStateWindow = 256;

export const initialChatState = (): ChatState => ({
  openSends: [],
  settledSends: [],
  recentMessages: [],
  unread: 0,
});

export const findOpenSend = (state: ChatState, messageId: string): OpenSend | undefined =>
  state.openSends.find((send) => send.messageId === messageId);

export const findSettledSend = (state: ChatState, messageId: string): SettledSend | undefined =>
  state.settledSends.findLast((send) => send.messageId === messageId);

export const findKnownMessage = (state: ChatState, waMessageId: string): KnownMessage | undefined =>
  state.recentMessages.findLast((message) => message.waMessageId === waMessageId);

/** The list with `item` appended, keeping only the newest `chatStateWindow` items. */
export function appendBounded<T>(items: readonly T[], item: T): readonly T[] {
  const kept = items.length >= chatStateWindow ? items.slice(items.length - chatStateWindow + 1) : items;
  return [...kept, item];
}

/** The recent messages with one message's entry changed (or added, when it is not among them). */
export function withKnownMessage(
  state: ChatState,
  waMessageId: string,
  change: (known: KnownMessage) => KnownMessage,
): readonly KnownMessage[] {
  const index = state.recentMessages.findLastIndex((message) => message.waMessageId === waMessageId);
  if (index < 0)
    return appendBounded(
      state.recentMessages,
      change({ waMessageId, ack: null, revoked: false, recorded: false }),
    );
  const messages = [...state.recentMessages];
  messages[index] = change(messages[index]!);
  return messages;
}
