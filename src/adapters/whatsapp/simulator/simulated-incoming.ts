import { toJid } from '../../../domain/jid.js';
import type { IncomingWhatsAppMessage } from '../port.js';
import type { SimulatedPhone } from './simulated-phone.js';
import { simulatedMessageId } from './simulated-ids.js';

export interface SimulatedIncoming {
  /**
   * A number or JID of the contact, a linked-device id (`…@lid`, with `phone` when WhatsApp knows its number),
   * a group JID (`…@g.us`) with `author`, or `status@broadcast` for a status (story), which is not recorded.
   */
  from: string;
  body: string;
  name?: string | undefined;
  type?: string | undefined;
  /** The group member who wrote, for a group (a number, a JID or a `@lid`). */
  author?: string | undefined;
  /** The phone number or JID a `@lid` sender (`from`, or a group's `author`) stands for. */
  phone?: string | undefined;
  media?:
    | {
        mimetype: string;
        caption?: string | null;
        fileName?: string | null;
        size?: number | null;
        /** The file's bytes, base64: what the gateway downloads. */
        data?: string | undefined;
      }
    | undefined;
  /** The message this one replies to. */
  quotedId?: string | undefined;
  /** Ids mentioned with `@`. */
  mentions?: string[] | undefined;
  location?: { lat: number; lng: number; description?: string | null } | undefined;
  /**
   * The message arrives before it can be decrypted: WhatsApp Web reports it first as an empty `ciphertext`,
   * which the driver skips, then as what it is. The gateway sees one message, with its text.
   */
  encrypted?: boolean | undefined;
  /** The sender's profile picture (base64), as WhatsApp serves it from now on. */
  picture?: string | undefined;
  /** The name the session's phone keeps for the sender in its contact list. */
  contactName?: string | undefined;
}

/** Plays a message from a contact, as the WPPConnect driver would report it; resolves with its id. */
export async function deliverIncoming(phone: SimulatedPhone, message: SimulatedIncoming): Promise<string> {
  if (message.from === 'status@broadcast') {
    // The driver drops statuses: nothing reaches the gateway.
    await phone.report('deliver a status to', () => undefined);
    return simulatedMessageId(false, 'status@broadcast');
  }
  const addressedChat = toJid(message.from);
  const isGroup = addressedChat.endsWith('@g.us');
  const addressedSender = isGroup ? toJid(message.author ?? message.from) : addressedChat;
  if (message.phone && addressedSender.endsWith('@lid')) {
    const phoneJid = toJid(message.phone);
    if (phone.contacts.learn(addressedSender, phoneJid))
      await phone.report('map a linked-device id of', (callbacks) =>
        callbacks.onLidMapped?.({ lid: addressedSender, phoneJid }),
      );
  }
  const chatJid = phone.contacts.canonical(addressedChat);
  const sender = phone.contacts.canonical(addressedSender);
  // Known before the message arrives, as WhatsApp knows them before the gateway asks.
  if (message.picture !== undefined)
    phone.profiles.showPicture(sender, Buffer.from(message.picture, 'base64'));
  if (message.contactName !== undefined) phone.profiles.saveName(sender, message.contactName);
  const mediaData = message.media?.data === undefined ? undefined : Buffer.from(message.media.data, 'base64');
  const media = message.media
    ? {
        mimetype: message.media.mimetype,
        caption: message.media.caption ?? null,
        fileName: message.media.fileName ?? null,
        size: message.media.size ?? mediaData?.length ?? null,
      }
    : null;
  const incoming: Omit<IncomingWhatsAppMessage, 'waMessageId' | 'timestamp' | 'to'> = {
    chatJid,
    isGroup,
    fromMe: false,
    from: sender,
    senderName: message.name ?? null,
    senderPhone: sender.endsWith('@c.us') ? sender.slice(0, -'@c.us'.length) : null,
    chatName: isGroup ? null : (message.name ?? null),
    type: message.type ?? (message.location ? 'location' : media ? media.mimetype.split('/')[0]! : 'chat'),
    body: message.body,
    media,
    ...(sender !== addressedSender ? { senderLid: addressedSender } : {}),
    ...(message.quotedId ? { quotedMsgId: message.quotedId } : {}),
    ...(message.mentions?.length ? { mentionedJidList: message.mentions.map((jid) => toJid(jid)) } : {}),
    ...(message.location
      ? { location: { ...message.location, description: message.location.description ?? null } }
      : {}),
  };
  return phone.deliver(incoming, addressedChat, mediaData);
}
