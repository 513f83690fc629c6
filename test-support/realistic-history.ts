import type { DistributiveOmit } from '../src/domain/distributive-omit.js';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../src/adapters/event-store/port.js';
import type { CommandContext } from '../src/app/command-context.js';
import { createCommandHandler } from '../src/app/command-handler.js';
import type { ChatCommand } from '../src/domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../src/domain/chat/chat-stream.js';
import { MessageAck } from '../src/domain/chat/message-ack.js';
import type { SessionCommand } from '../src/domain/session/session-commands.js';
import { sessionStream, sessionStreamName } from '../src/domain/session/session-stream.js';
import { writeConversationHistory } from './conversation-history.js';
import { writeGroupHistory } from './group-history.js';

type Incoming = Extract<ChatCommand, { type: 'RecordIncomingMessage' }>['message'];

/** Drives a store through what a few companies' sessions live through, by the same commands the gateway runs. */
export function historyWriter(store: EventStore) {
  const handle = createCommandHandler(store, { maxAttempts: 20 });
  let clock = Date.parse('2026-03-01T09:00:00Z');
  const tick = () => new Date((clock += 1000));

  const context = (companyId: string, sessionId: string, factKey?: string): CommandContext => ({
    companyId,
    sessionId,
    actor: factKey ? { type: 'whatsapp', id: sessionId } : { type: 'user', id: `admin-of-${companyId}` },
    correlationId: randomUUID(),
    causationId: null,
    ...(factKey ? { factKey } : {}),
  });

  const session = (
    companyId: string,
    sessionId: string,
    command: DistributiveOmit<SessionCommand, 'sessionId'>,
    factKey?: string,
  ) =>
    handle(
      sessionStream,
      sessionStreamName(sessionId),
      { ...command, sessionId },
      context(companyId, sessionId, factKey),
    );

  const chat = (
    companyId: string,
    sessionId: string,
    chatJid: string,
    command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>,
    factKey?: string,
  ) =>
    handle(
      chatStream,
      chatStreamName(sessionId, chatJid),
      { ...command, sessionId, chatJid },
      context(companyId, sessionId, factKey),
    );

  const incoming = (
    chatJid: string,
    waMessageId: string,
    body: string,
    extra: Partial<Incoming> = {},
  ): Incoming => ({
    waMessageId,
    isGroup: chatJid.endsWith('@g.us'),
    fromMe: false,
    from: chatJid,
    to: '5511900000000@c.us',
    senderName: 'João Silva',
    senderPhone: chatJid.endsWith('@c.us') ? chatJid.slice(0, -5) : null,
    chatName: null,
    type: 'chat',
    body,
    media: null,
    timestamp: Math.floor(tick().getTime() / 1000),
    ...extra,
  });

  return { session, chat, incoming, tick };
}

/**
 * A connected session of a company, with individual and group chats, sends, acks out of order, a revoke, and
 * conversations' reactions, edits, votes, polls and locations (some arriving before their message) …
 */
export async function writeRealisticHistory(
  store: EventStore,
  companyId: string,
  sessionId = randomUUID(),
): Promise<string> {
  const { session, chat, incoming, tick } = historyWriter(store);
  const own = '5511900000000@c.us';
  await session(companyId, sessionId, {
    type: 'RegisterSession',
    companyId,
    name: `Atendimento ${companyId}`,
    phoneNumber: null,
    tokenHash: 'sha256:x',
  });
  await session(companyId, sessionId, { type: 'StartSession' });
  await session(companyId, sessionId, { type: 'RecordConnecting', restoring: false }, 'connecting-1');
  await session(
    companyId,
    sessionId,
    { type: 'RecordQrCode', qrCode: '2@first', attempt: 1, issuedAt: tick() },
    'qr-1',
  );
  await session(
    companyId,
    sessionId,
    { type: 'RecordQrCode', qrCode: '2@second', attempt: 2, issuedAt: tick() },
    'qr-2',
  );
  await session(
    companyId,
    sessionId,
    { type: 'RecordConnected', waId: own, phoneNumber: '5511900000000' },
    'connected-1',
  );

  const joao = '5511988887777@c.us';
  const maria = '5511977776666@c.us';
  const group = '120363025246125486@g.us';
  for (let i = 0; i < 4; i++)
    await chat(
      companyId,
      sessionId,
      joao,
      { type: 'RecordIncomingMessage', message: incoming(joao, `in-joao-${i}`, `Oi ${i}`) },
      `in-joao-${i}`,
    );
  // WhatsApp delivers the same callback twice.
  const duplicate = incoming(maria, 'in-maria-0', 'Bom dia', { senderName: 'Maria' });
  await chat(
    companyId,
    sessionId,
    maria,
    { type: 'RecordIncomingMessage', message: duplicate },
    'in-maria-0',
  );
  await chat(
    companyId,
    sessionId,
    maria,
    { type: 'RecordIncomingMessage', message: duplicate },
    'in-maria-0',
  );
  await chat(
    companyId,
    sessionId,
    maria,
    {
      type: 'RecordIncomingMessage',
      message: incoming(maria, 'in-maria-1', '', {
        senderName: 'Maria',
        type: 'image',
        media: {
          mimetype: 'image/jpeg',
          caption: 'comprovante',
          fileName: null,
          size: 48213,
          location: null,
        },
      }),
    },
    'in-maria-1',
  );
  await chat(
    companyId,
    sessionId,
    group,
    {
      type: 'RecordIncomingMessage',
      message: incoming(group, 'in-group-0', 'Reunião às 10h', {
        from: maria,
        senderName: 'Maria',
        senderPhone: '5511977776666',
        chatName: 'Equipe',
      }),
    },
    'in-group-0',
  );
  await chat(companyId, sessionId, joao, { type: 'MarkChatRead' });

  // A send whose acks arrive out of order, and whose echo arrives before WhatsApp confirms the send.
  const first = randomUUID();
  await chat(companyId, sessionId, joao, {
    type: 'RequestMessageSend',
    messageId: first,
    from: own,
    body: 'Olá! Como posso ajudar?',
    media: null,
    idempotencyKey: 'k1',
    requestHash: 'h1',
    sessionConnected: true,
  });
  await chat(
    companyId,
    sessionId,
    joao,
    {
      type: 'RecordIncomingMessage',
      message: incoming(joao, 'out-1', 'Olá! Como posso ajudar?', { fromMe: true, from: own, to: joao }),
    },
    'out-1',
  );
  await chat(companyId, sessionId, joao, {
    type: 'RecordMessageSent',
    messageId: first,
    waMessageId: 'out-1',
    ack: MessageAck.PENDING,
    timestamp: Math.floor(tick().getTime() / 1000),
  });
  await chat(
    companyId,
    sessionId,
    joao,
    { type: 'RecordAck', waMessageId: 'out-1', ack: MessageAck.READ },
    'out-1:ack:4',
  );
  await chat(
    companyId,
    sessionId,
    joao,
    { type: 'RecordAck', waMessageId: 'out-1', ack: MessageAck.DEVICE },
    'out-1:ack:3',
  );
  await chat(
    companyId,
    sessionId,
    joao,
    { type: 'RecordAck', waMessageId: 'out-1', ack: MessageAck.SERVER },
    'out-1:ack:2',
  );

  // A transient failure then success, and a send that fails for good.
  const second = randomUUID();
  await chat(companyId, sessionId, maria, {
    type: 'RequestMessageSend',
    messageId: second,
    from: own,
    body: 'Recebido!',
    media: null,
    idempotencyKey: null,
    requestHash: null,
    sessionConnected: true,
  });
  await chat(companyId, sessionId, maria, {
    type: 'RecordSendFailure',
    messageId: second,
    reason: 'timeout',
    attempt: 1,
    final: false,
  });
  await chat(companyId, sessionId, maria, {
    type: 'RecordMessageSent',
    messageId: second,
    waMessageId: 'out-2',
    ack: MessageAck.SERVER,
    timestamp: Math.floor(tick().getTime() / 1000),
  });
  const third = randomUUID();
  const stranger = '5511955554444@c.us';
  await chat(companyId, sessionId, stranger, {
    type: 'RequestMessageSend',
    messageId: third,
    from: own,
    body: 'Olá?',
    media: null,
    idempotencyKey: null,
    requestHash: null,
    sessionConnected: true,
  });
  await chat(companyId, sessionId, stranger, {
    type: 'RecordSendFailure',
    messageId: third,
    reason: 'number is not on WhatsApp',
    attempt: 1,
    final: true,
  });

  await chat(
    companyId,
    sessionId,
    joao,
    { type: 'RecordRevoke', waMessageId: 'in-joao-1' },
    'in-joao-1:revoke',
  );
  await writeConversationHistory({ session, chat, incoming, tick }, companyId, sessionId, own);
  await writeGroupHistory({ session, chat, incoming, tick }, companyId, sessionId, own);
  await session(
    companyId,
    sessionId,
    { type: 'RecordDisconnected', reason: 'phone offline', loggedOut: false },
    'disconnected-1',
  );
  await session(
    companyId,
    sessionId,
    { type: 'RecordConnected', waId: own, phoneNumber: '5511900000000' },
    'connected-2',
  );
  return sessionId;
}
