import type { BusMessage } from '../../adapters/bus/port.js';
import { MessageAck } from '../../domain/chat/message-ack.js';
import { qrDataUrl } from '../qr-image.js';
import type { MessageShape } from '../schemas/whatsapp-schemas.js';
import { receivedShape, requestedShape, strings } from './message-frame-shapes.js';

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
  | { type: 'ack'; data: { id: string; chatId: string; status: number; messageId?: string } }
  | { type: 'reaction'; data: { id: string; chatId: string; emoji: string; from: string } }
  | { type: 'message_edit'; data: { id: string; chatId: string; body: string } }
  | { type: 'message_revoke'; data: { id: string; chatId: string } }
  | { type: 'poll_vote'; data: { id: string; chatId: string; from: string; options: string[] } }
  | { type: 'group_update'; data: { chatId: string; action: string; participants: string[] } };

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

/**
 * The frame types that tell of stored events (every type but the greeting `status`), each named once: a new
 * frame type fails to compile until it is listed here, and webhooks accept exactly these names.
 */
const eventFrameTypeSet: { [type in Exclude<Frame['type'], 'status'>]: true } = {
  message: true,
  ack: true,
  status_change: true,
  reaction: true,
  message_edit: true,
  message_revoke: true,
  poll_vote: true,
  group_update: true,
};
export type EventFrameType = keyof typeof eventFrameTypeSet;
export const eventFrameTypes = Object.keys(eventFrameTypeSet) as EventFrameType[];
/** Every frame type pushed to WebSocket clients: the greeting `status`, sent once on connect, and the above. */
export type FrameType = Frame['type'];

/** The WebSocket frame (if any) that tells a client about a stored event. */
export async function frameFor(message: BusMessage): Promise<Frame | undefined> {
  return withQrImage(eventFrame(message));
}

/** The frame with its QR code (the text WhatsApp gave) drawn as a PNG data URL, as clients are sent it. */
export async function withQrImage<F extends Frame | undefined>(frame: F): Promise<F> {
  if (frame?.type !== 'status_change' || !frame.data.qrCode) return frame;
  return { ...frame, data: { ...frame.data, qrCode: await qrDataUrl(frame.data.qrCode) } };
}

/**
 * The frame of a stored event, computed at once, its QR code (if any) the text WhatsApp gave: webhooks keep this
 * when the event is stored, in the event's transaction, and draw the image when they send it.
 */
export function eventFrame(message: BusMessage): Frame | undefined {
  const { type, sessionId } = message;
  const data = message.data as Data;
  const status = statusOf[type];
  if (status) {
    const qrCode = type === 'QrCodeIssued' ? str(data.qrCode) : undefined;
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
  if (type === 'GroupParticipantsChanged')
    return {
      type: 'group_update',
      data: {
        chatId: str(data.groupJid),
        action: str(data.action),
        participants: members(data.participants),
      },
    };
  const chatId = message.streamName.slice(`chat-${sessionId}_`.length);
  switch (type) {
    case 'MessageReceived':
      return { type: 'message', data: receivedShape(chatId, data) };
    case 'MessageSendRequested':
      // A reaction, edit or deletion asked for: its frame comes once WhatsApp took it.
      if (data.action) return undefined;
      return { type: 'message', data: requestedShape(chatId, data, message.recordedAt) };
    case 'MessageReacted':
      return {
        type: 'reaction',
        data: { id: str(data.waMessageId), chatId, emoji: str(data.emoji), from: str(data.from) },
      };
    case 'MessageEdited':
      return { type: 'message_edit', data: { id: str(data.waMessageId), chatId, body: str(data.body) } };
    case 'MessageRevoked':
      return { type: 'message_revoke', data: { id: str(data.waMessageId), chatId } };
    case 'PollVoted':
      return {
        type: 'poll_vote',
        data: {
          id: str(data.waMessageId),
          chatId,
          from: str(data.from),
          options: strings(data.selectedOptions),
        },
      };
    // What the session's group commands did, as WhatsApp's own reports of member changes read.
    case 'GroupCreated':
      return groupUpdate(
        chatId,
        'create',
        members((data.participants as { jid?: unknown }[]).map((p) => p.jid)),
      );
    case 'GroupParticipantsUpdated':
      return groupUpdate(chatId, str(data.action), members(data.participants));
    case 'GroupLeft':
      return groupUpdate(chatId, 'leave', []);
    case 'MessageSent':
      if (data.action) return undefined;
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

const groupUpdate = (chatId: string, action: string, participants: string[]): Frame => ({
  type: 'group_update',
  data: { chatId, action, participants },
});

/** A group's members a frame names: an erased member (its id reads as '') is left out. */
const members = (ids: unknown): string[] => strings(ids).filter((id) => id !== '');
