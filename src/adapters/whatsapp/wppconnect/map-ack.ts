import { fromWhatsAppAck } from '../../../domain/chat/message-ack.js';
import type { DriverCallbacks } from '../port.js';
import { chatOfMessageKey, isFields, numberField, serializedId } from './wpp-values.js';

type AckChange = Parameters<DriverCallbacks['onAck']>[0];
type Revocation = Parameters<DriverCallbacks['onRevoked']>[0];

/** Maps WPPConnect's `onAck` (a message whose `ack` changed, on WhatsApp's -7…4 scale); null if unreadable. */
export function toAckChange(ack: unknown): AckChange | null {
  if (!isFields(ack)) return null;
  const value = numberField(ack, 'ack');
  const id = ack['id'];
  const waMessageId = serializedId(id);
  const chatJid =
    serializedId(isFields(id) ? id['remote'] : null) ??
    (waMessageId ? chatOfMessageKey(waMessageId) : null) ??
    serializedId(ack['from']);
  if (value === null || !waMessageId || !chatJid) return null;
  return { waMessageId, chatJid, ack: fromWhatsAppAck(value) };
}

/**
 * Maps WPPConnect's `onRevokedMessage`: `refId` is the message that was deleted for everyone (`id` is the
 * revocation itself), and its key names the chat.
 */
export function toRevocation(data: unknown): Revocation | null {
  if (!isFields(data)) return null;
  const waMessageId = serializedId(data['refId']);
  if (!waMessageId) return null;
  const chatJid = chatOfMessageKey(waMessageId) ?? chatOfRevocation(data);
  return chatJid ? { waMessageId, chatJid } : null;
}

function chatOfRevocation(data: Record<string, unknown>): string | null {
  const revocationId = serializedId(data['id']);
  return revocationId ? chatOfMessageKey(revocationId) : null;
}
