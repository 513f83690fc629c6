import type { ChatCommand } from '../src/domain/chat/chat-commands.js';
import type { ChatEvent } from '../src/domain/chat/chat-events.js';
import { MessageAck } from '../src/domain/chat/message-ack.js';

type Of<T extends ChatEvent['type']> = Extract<ChatEvent, { type: T }>;

/** One chat's facts and commands, shared by the chat's decider and state specs. */
export const chatJid = '5511988887777@c.us';
export const on = { sessionId: 's-1', chatJid };
export const messageId = '0b5e7a5c-6a0e-4c1f-9a57-2f3b2b0f5a10';

export const incoming = {
  waMessageId: 'false_5511988887777@c.us_3EB0A',
  isGroup: false,
  fromMe: false,
  from: chatJid,
  to: '5511999999999@c.us',
  senderName: 'João',
  senderPhone: '5511988887777',
  chatName: 'João',
  type: 'chat',
  body: 'Oi',
  media: null,
  timestamp: 1_700_000_000,
};
export const received: Of<'MessageReceived'> = { type: 'MessageReceived', data: { ...incoming, chatJid } };
export const receive: ChatCommand = { ...on, type: 'RecordIncomingMessage', message: incoming };

export const sendRequest = (
  overrides: Partial<Extract<ChatCommand, { type: 'RequestMessageSend' }>> = {},
): ChatCommand => ({
  ...on,
  type: 'RequestMessageSend',
  messageId,
  from: '5511999999999@c.us',
  body: 'Olá! Como posso ajudar?',
  media: null,
  idempotencyKey: 'key-1',
  requestHash: 'hash-1',
  sessionConnected: true,
  ...overrides,
});
export const sendRequested: Of<'MessageSendRequested'> = {
  type: 'MessageSendRequested',
  data: {
    messageId,
    chatJid,
    from: '5511999999999@c.us',
    body: 'Olá! Como posso ajudar?',
    media: null,
    idempotencyKey: 'key-1',
    requestHash: 'hash-1',
  },
};
export const waId = 'true_5511988887777@c.us_3EB0B';
export const sent: Of<'MessageSent'> = {
  type: 'MessageSent',
  data: { messageId, waMessageId: waId, ack: MessageAck.PENDING, timestamp: 1_700_000_001 },
};
export const ack = (value: (typeof MessageAck)[keyof typeof MessageAck]): ChatCommand => ({
  ...on,
  type: 'RecordAck',
  waMessageId: waId,
  ack: value,
});
export const ackChanged = (value: 0 | 1 | 2 | 3 | 4 | 5): ChatEvent => ({
  type: 'MessageAckChanged',
  data: { waMessageId: waId, ack: value },
});
