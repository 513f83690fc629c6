import { booleanField, isFields, serializedId, stringField } from './wpp-values.js';

/** Which kinds of one-to-many chats the gateway keeps; statuses (stories) are never kept. */
export interface ChannelPolicy {
  /** Posts of WhatsApp Channels (`…@newsletter`) the session follows. */
  newsletters: boolean;
  /** Messages the session sent to its own broadcast lists (`…@broadcast`). */
  broadcastLists: boolean;
}

/** Newsletters are not conversations; a broadcast list message is one the session itself sent, so it is kept. */
export const defaultChannelPolicy: ChannelPolicy = { newsletters: false, broadcastLists: true };

/**
 * Why a message from `onAnyMessage` is not to be recorded, or null when it is. WPPConnect's `onAnyMessage`,
 * unlike its `onMessage`, lets statuses through; and WA-JS reports a message that arrives before it is
 * decrypted twice with the same id, first as an empty `ciphertext`, then as what it really is.
 */
export function whyIgnored(message: unknown, policy: ChannelPolicy): string | null {
  if (!isFields(message)) return null;
  if (stringField(message, 'type') === 'ciphertext') return 'not decrypted yet: it comes again once it is';
  const chat = serializedId(message['chatId']) ?? serializedId(message['from']) ?? '';
  if (booleanField(message, 'isStatusV3') || chat === 'status@broadcast') return 'a status (story)';
  if (chat.endsWith('@newsletter') && !policy.newsletters) return 'a channel (newsletter) post';
  if (chat.endsWith('@broadcast') && !policy.broadcastLists) return 'a broadcast list message';
  return null;
}
