import type { IncomingMedia, IncomingWhatsAppMessage } from '../port.js';
import {
  booleanField,
  idList,
  isFields,
  numberField,
  serializedId,
  stringField,
  type Fields,
} from './wpp-values.js';

const mediaTypes = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);

/**
 * Maps a message from WPPConnect's `onAnyMessage` (received, or sent from the session's own phone); null when
 * it lacks an id or a chat. WPPConnect 2.3.3 serializes no `chat`: a one-to-one chat is named after its contact
 * here, a group by the caller from the group's metadata.
 */
export function toIncomingMessage(message: unknown, now = Date.now()): IncomingWhatsAppMessage | null {
  if (!isFields(message)) return null;
  const waMessageId = serializedId(message['id']);
  const from = serializedId(message['from']);
  const to = serializedId(message['to']);
  const fromMe = booleanField(message, 'fromMe') || waMessageId?.startsWith('true_') === true;
  const chatJid = serializedId(message['chatId']) ?? (fromMe ? to : from);
  if (!waMessageId || !chatJid) return null;

  const isGroup = booleanField(message, 'isGroupMsg') || chatJid.endsWith('@g.us');
  const author = serializedId(message['author']);
  const sender = message['sender'];
  const senderJid = (isGroup ? author : null) ?? serializedId(isFields(sender) ? sender['id'] : null) ?? from;
  const type = stringField(message, 'type') ?? 'chat';
  const media = toMedia(message, type);
  const caption = stringField(message, 'caption');
  const senderName =
    stringField(sender, 'pushname') ??
    stringField(message, 'notifyName') ??
    stringField(sender, 'name') ??
    stringField(sender, 'verifiedName');

  return {
    waMessageId,
    chatJid,
    isGroup,
    fromMe,
    from: senderJid ?? chatJid,
    to: to ?? chatJid,
    senderName,
    senderPhone: senderJid?.endsWith('@c.us') ? senderJid.slice(0, -'@c.us'.length) : null,
    // A contact's own name for itself is the best name a one-to-one chat has.
    chatName: isGroup || fromMe ? null : (stringField(sender, 'name') ?? senderName),
    type,
    // A media message's body is its thumbnail (base64), not text: its text is the caption.
    body: media || type === 'location' ? (caption ?? '') : (stringField(message, 'body') ?? ''),
    media,
    timestamp: numberField(message, 't') ?? numberField(message, 'timestamp') ?? Math.floor(now / 1000),
    ...extras(message, type),
  };
}

function toMedia(message: Fields, type: string): IncomingMedia | null {
  const mimetype = stringField(message, 'mimetype');
  const isMedia = mediaTypes.has(type) || booleanField(message, 'isMedia') || booleanField(message, 'isMMS');
  if (!isMedia || !mimetype) return null;
  return {
    mimetype,
    caption: stringField(message, 'caption'),
    fileName: stringField(message, 'filename'),
    size: numberField(message, 'size'),
    // Without these the file cannot be fetched from WhatsApp's servers later.
    mediaKey: stringField(message, 'mediaKey'),
    directPath: stringField(message, 'directPath'),
    deprecatedMms3Url: stringField(message, 'deprecatedMms3Url'),
  };
}

/** What a message carries besides its text, each only when present. */
function extras(message: Fields, type: string): Partial<IncomingWhatsAppMessage> {
  const found: Partial<IncomingWhatsAppMessage> = {};
  const lat = numberField(message, 'lat');
  const lng = numberField(message, 'lng');
  if (lat !== null && lng !== null)
    found.location = {
      lat,
      lng,
      description: stringField(message, 'loc') ?? stringField(message, 'comment'),
    };
  const quoted = serializedId(message['quotedMsgId']);
  if (quoted) found.quotedMsgId = quoted;
  const mentioned = idList(message['mentionedJidList']);
  if (mentioned.length > 0) found.mentionedJidList = mentioned;
  const vcards = toVcards(message, type);
  if (vcards.length > 0) found.vcardList = vcards;
  if (type === 'poll_creation') found.poll = toPoll(message);
  return found;
}

function toVcards(message: Fields, type: string): { displayName: string | null; vcard: string }[] {
  const list = Array.isArray(message['vcardList']) ? (message['vcardList'] as unknown[]) : [];
  const cards = list.flatMap((card) => {
    const vcard = stringField(card, 'vcard');
    return vcard ? [{ displayName: stringField(card, 'displayName'), vcard }] : [];
  });
  const body = stringField(message, 'body');
  // A single shared contact is a `vcard` message whose body is the card.
  if (cards.length === 0 && type === 'vcard' && body) cards.push({ displayName: null, vcard: body });
  return cards;
}

function toPoll(message: Fields): IncomingWhatsAppMessage['poll'] {
  const options = Array.isArray(message['pollOptions']) ? (message['pollOptions'] as unknown[]) : [];
  return {
    name: stringField(message, 'pollName') ?? '',
    options: options.flatMap((option) => {
      const name = stringField(option, 'name');
      return name ? [name] : [];
    }),
    selectableCount: numberField(message, 'pollSelectableOptionsCount'),
  };
}
