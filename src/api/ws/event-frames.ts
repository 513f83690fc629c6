import type { BusMessage } from '../../adapters/bus/port.js';
import { MessageAck } from '../../domain/chat/message-ack.js';
import { qrDataUrl } from '../qr-image.js';
import type { MessageShape } from '../schemas/whatsapp-schemas.js';

export type Frame =
  | { type: 'status'; data: { sessionId: string; status: string; isConnected: boolean } }
  | {
      type: 'status_change';
      data: {
        sessionId: string;
        status: string;
        isConnected: boolean;
        qrCode?: string;
        pairingCode?: string;
      };
    }
  | { type: 'message'; data: MessageShape }
  | { type: 'ack'; data: { id: string; chatId: string; status: number; messageId?: string } };

const statusOf: Record<string, string> = {
  SessionConnecting: 'connecting',
  QrCodeIssued: 'qr',
  PairingCodeIssued: 'pairing',
  SessionConnected: 'connected',
  SessionDisconnected: 'disconnected',
  SessionStopped: 'disconnected',
  SessionFailed: 'disconnected',
  SessionMarkedDead: 'disconnected',
};

type Data = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The WebSocket frame (if any) that tells a client about a stored event. */
export async function frameFor(message: BusMessage): Promise<Frame | undefined> {
  const { type, sessionId } = message;
  const data = message.data as Data;
  const status = statusOf[type];
  if (status) {
    const qrCode = type === 'QrCodeIssued' ? await qrDataUrl(str(data.qrCode)) : undefined;
    return {
      type: 'status_change',
      data: {
        sessionId,
        status,
        isConnected: status === 'connected',
        ...(qrCode ? { qrCode } : {}),
        ...(type === 'PairingCodeIssued' ? { pairingCode: str(data.pairingCode) } : {}),
      },
    };
  }
  const chatId = message.streamName.slice(`chat-${sessionId}_`.length);
  switch (type) {
    case 'MessageReceived':
      return { type: 'message', data: receivedShape(chatId, data) };
    case 'MessageSendRequested':
      return {
        type: 'message',
        data: {
          id: str(data.messageId),
          chatId,
          direction: 'OUT',
          type: data.media ? 'media' : 'chat',
          body: str(data.body),
          status: MessageAck.PENDING,
          timestamp: Math.floor(Date.parse(message.recordedAt) / 1000),
          from: str(data.from),
          to: chatId,
          fromMe: true,
        },
      };
    case 'MessageSent':
      return {
        type: 'ack',
        data: { id: str(data.waMessageId), chatId, status: num(data.ack), messageId: str(data.messageId) },
      };
    case 'MessageAckChanged':
      return { type: 'ack', data: { id: str(data.waMessageId), chatId, status: num(data.ack) } };
    case 'MessageSendFailed':
      return data.final
        ? { type: 'ack', data: { id: str(data.messageId), chatId, status: MessageAck.ERROR } }
        : undefined;
    default:
      return undefined;
  }
}

function receivedShape(chatId: string, data: Data): MessageShape {
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
  };
}
