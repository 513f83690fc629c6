import type { IncomingWhatsAppMessage } from '../port.js';
import { booleanField, isFields, numberField, serializedId, stringField } from './wpp-values.js';

const mediaTypes = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);

/**
 * Maps a message from WPPConnect's `onAnyMessage` (received, or sent from the session's own phone); null when
 * it lacks an id or a chat.
 */
export function toIncomingMessage(message: unknown, now = Date.now()): IncomingWhatsAppMessage | null {
  if (!isFields(message)) return null;
  const waMessageId = serializedId(message['id']);
  const from = serializedId(message['from']);
  const to = serializedId(message['to']);
  const fromMe = booleanField(message, 'fromMe');
  const chatJid = serializedId(message['chatId']) ?? (fromMe ? to : from);
  if (!waMessageId || !chatJid) return null;

  const isGroup = booleanField(message, 'isGroupMsg') || chatJid.endsWith('@g.us');
  const author = serializedId(message['author']);
  const sender = message['sender'];
  const senderJid = (isGroup ? author : null) ?? serializedId(isFields(sender) ? sender['id'] : null) ?? from;
  const type = stringField(message, 'type') ?? 'chat';
  const media = toMedia(message, type);
  const caption = stringField(message, 'caption');

  return {
    waMessageId,
    chatJid,
    isGroup,
    fromMe,
    from: senderJid ?? chatJid,
    to: to ?? chatJid,
    senderName:
      stringField(sender, 'pushname') ??
      stringField(message, 'notifyName') ??
      stringField(sender, 'name') ??
      stringField(sender, 'verifiedName'),
    senderPhone: senderJid?.endsWith('@c.us') ? senderJid.slice(0, -'@c.us'.length) : null,
    chatName: chatNameOf(message['chat']),
    type,
    // A media message's body is its thumbnail (base64), not text: its text is the caption.
    body: media || type === 'location' ? (caption ?? '') : (stringField(message, 'body') ?? ''),
    media,
    timestamp: numberField(message, 't') ?? numberField(message, 'timestamp') ?? Math.floor(now / 1000),
  };
}

function toMedia(message: Record<string, unknown>, type: string): IncomingWhatsAppMessage['media'] {
  const mimetype = stringField(message, 'mimetype');
  const isMedia = mediaTypes.has(type) || booleanField(message, 'isMedia') || booleanField(message, 'isMMS');
  if (!isMedia || !mimetype) return null;
  return {
    mimetype,
    caption: stringField(message, 'caption'),
    fileName: stringField(message, 'filename'),
    size: numberField(message, 'size'),
  };
}

function chatNameOf(chat: unknown): string | null {
  return stringField(chat, 'name') ?? stringField(chat, 'formattedTitle');
}
