import { MessageAck } from '../../domain/chat/message-ack.js';
import type { MessageShape } from '../schemas/whatsapp-schemas.js';

// The message shape of `message` frames, from the stored events' payloads, read as plain data.

type Data = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function requestedShape(chatId: string, data: Data, recordedAt: string): MessageShape {
  const poll = data.poll as { name: string; options: string[]; selectableCount: number } | undefined;
  const location = data.location as { latitude: number; longitude: number; name: string | null } | undefined;
  return {
    id: str(data.messageId),
    chatId,
    direction: 'OUT',
    type: data.media ? 'media' : poll ? 'poll_creation' : location ? 'location' : 'chat',
    body: poll ? poll.name : str(data.body),
    status: MessageAck.PENDING,
    timestamp: Math.floor(Date.parse(recordedAt) / 1000),
    from: str(data.from),
    to: chatId,
    fromMe: true,
    ...(typeof data.quotedMessageId === 'string' ? { quotedId: data.quotedMessageId } : {}),
    ...(strings(data.mentions).length ? { mentions: strings(data.mentions) } : {}),
    ...(location ? { location: { ...location, address: null } } : {}),
    ...(poll
      ? {
          poll: {
            name: poll.name,
            options: poll.options.map((name) => ({ name, votes: 0 })),
            selectableCount: poll.selectableCount,
          },
        }
      : {}),
  };
}

export function receivedShape(chatId: string, data: Data): MessageShape {
  const fromMe = data.fromMe === true;
  const media = data.media as {
    mimetype: string;
    caption: string | null;
    fileName: string | null;
    size: number | null;
    location: string | null;
  } | null;
  return {
    id: str(data.waMessageId),
    chatId,
    direction: fromMe ? 'OUT' : 'IN',
    type: str(data.type),
    body: str(data.body),
    status: fromMe ? MessageAck.SERVER : MessageAck.DEVICE,
    timestamp: num(data.timestamp),
    from: str(data.from),
    to: str(data.to),
    fromMe,
    ...(media
      ? {
          media: {
            mimetype: media.mimetype,
            caption: media.caption,
            fileName: media.fileName,
            size: media.size,
            url: media.location,
          },
        }
      : {}),
    ...receivedDetails(chatId, data, fromMe),
  };
}

/** What a received message carries besides its text, as the messages endpoint shows it. */
function receivedDetails(chatId: string, data: Data, fromMe: boolean): Partial<MessageShape> {
  const location = data.location as { lat: number; lng: number; description: string | null } | null;
  const poll = data.poll as { name: string; options: string[]; selectableCount: number | null } | null;
  const contacts = (data.vcardList ?? []) as { vcard: string }[];
  return {
    ...(typeof data.quotedMsgId === 'string' ? { quotedId: data.quotedMsgId } : {}),
    ...(strings(data.mentionedJidList).length ? { mentions: strings(data.mentionedJidList) } : {}),
    ...(chatId.endsWith('@g.us') && !fromMe ? { author: str(data.from) } : {}),
    ...(location
      ? {
          location: {
            latitude: location.lat,
            longitude: location.lng,
            name: location.description,
            address: null,
          },
        }
      : {}),
    ...(contacts.length ? { contacts: contacts.map((contact) => contact.vcard) } : {}),
    ...(poll
      ? {
          poll: {
            name: poll.name,
            options: poll.options.map((name) => ({ name, votes: 0 })),
            selectableCount: poll.selectableCount,
          },
        }
      : {}),
  };
}
