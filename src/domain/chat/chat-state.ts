import type { Media } from './chat-events.js';
import type { MessageAckValue } from './message-ack.js';

export interface OutgoingMessageState {
  status: 'requested' | 'sent' | 'failed';
  attempts: number;
  /** The last attempt was recorded with no outcome yet: after a crash, whether WhatsApp got it is unknown. */
  attemptOpen: boolean;
  /** When the last attempt started (ISO), to look for its echo after a crash. */
  lastAttemptAt: string | null;
  body: string;
  media: Media | null;
  waMessageId: string | null;
  idempotencyKey: string | null;
}

export interface ChatState {
  /** Every message WhatsApp knows of in this chat, by WhatsApp id: its delivery status and whether it was revoked. */
  messages: ReadonlyMap<string, { ack: MessageAckValue | null; revoked: boolean }>;
  /** Messages the gateway was asked to send, by the gateway's own message id. */
  outgoing: ReadonlyMap<string, OutgoingMessageState>;
  /** Idempotency key → the message it created and the hash of the request that created it. */
  idempotencyKeys: ReadonlyMap<string, { messageId: string; requestHash: string | null }>;
  /** Incoming messages since the chat was last read. */
  unread: number;
}

export const initialChatState = (): ChatState => ({
  messages: new Map(),
  outgoing: new Map(),
  idempotencyKeys: new Map(),
  unread: 0,
});
