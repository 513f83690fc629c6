import { randomUUID } from 'node:crypto';
import { MessageAck } from '../src/domain/chat/message-ack.js';
import type { historyWriter } from './realistic-history.js';

type Writer = ReturnType<typeof historyWriter>;

/**
 * What conversations add to a session's history: reactions, an edit, votes and a deletion that arrive before
 * their message (kept, then applied), later ones, a reply with mentions, a poll, a location, and reactions,
 * edits and deletions the gateway was asked to make (one sent, one failed for good).
 */
export async function writeConversationHistory(
  { chat, incoming, tick }: Writer,
  companyId: string,
  sessionId: string,
  own: string,
): Promise<void> {
  const ana = '5511966665555@c.us';
  const bia = '5511944443333@c.us';
  const on = (command: Parameters<Writer['chat']>[3], factKey?: string) =>
    chat(companyId, sessionId, ana, command, factKey);
  const now = () => Math.floor(tick().getTime() / 1000);

  // Changes that arrive before their message.
  await on(
    {
      type: 'RecordReaction',
      waMessageId: 'in-ana-0',
      reactionId: 'r-0',
      from: bia,
      emoji: '🎉',
      timestamp: now(),
    },
    'r-0:reaction',
  );
  await on(
    { type: 'RecordEdit', waMessageId: 'in-ana-0', body: 'Oi, tudo bem?', editedAt: now() },
    'in-ana-0:edit',
  );
  await on(
    {
      type: 'RecordPollVote',
      waMessageId: 'in-ana-poll',
      from: bia,
      selectedOptions: ['Sim'],
      timestamp: now(),
    },
    'in-ana-poll:vote:bia',
  );
  await on({ type: 'RecordRevoke', waMessageId: 'in-ana-2' }, 'in-ana-2:revoke');
  await on(
    { type: 'RecordIncomingMessage', message: incoming(ana, 'in-ana-0', 'Oi', { quotedMsgId: null }) },
    'in-ana-0',
  );
  await on(
    {
      type: 'RecordIncomingMessage',
      message: incoming(ana, 'in-ana-poll', 'Vamos?', {
        type: 'poll_creation',
        poll: { name: 'Vamos?', options: ['Sim', 'Não'], selectableCount: 1 },
      }),
    },
    'in-ana-poll',
  );
  await on(
    {
      type: 'RecordIncomingMessage',
      message: incoming(ana, 'in-ana-2', 'apagada', { mentionedJidList: [own] }),
    },
    'in-ana-2',
  );
  // Changes after their message: a later vote replaces one, a reaction taken back.
  await on(
    {
      type: 'RecordPollVote',
      waMessageId: 'in-ana-poll',
      from: ana,
      selectedOptions: ['Não'],
      timestamp: now(),
    },
    'in-ana-poll:vote:ana',
  );
  await on(
    {
      type: 'RecordReaction',
      waMessageId: 'in-ana-0',
      reactionId: 'r-0',
      from: bia,
      emoji: '',
      timestamp: now(),
    },
    'r-0:reaction:removed',
  );

  const send = async (messageId: string, body: string, content: object) =>
    on({
      type: 'RequestMessageSend',
      messageId,
      from: own,
      body,
      media: null,
      idempotencyKey: null,
      requestHash: null,
      sessionConnected: true,
      content,
    });
  const sent = (messageId: string, waMessageId: string, action?: object) =>
    on({
      type: 'RecordMessageSent',
      messageId,
      waMessageId,
      ack: MessageAck.SERVER,
      timestamp: now(),
      ...(action ? { action } : {}),
    } as Parameters<Writer['chat']>[3]);

  const reply = randomUUID();
  await send(reply, 'Sim, @Bia', { quotedMessageId: 'in-ana-0', mentions: [bia] });
  await sent(reply, 'out-ana-reply');
  const poll = randomUUID();
  await send(poll, 'Horário?', { poll: { name: 'Horário?', options: ['9h', '10h'], selectableCount: 2 } });
  await sent(poll, 'out-ana-poll');
  const place = randomUUID();
  await send(place, 'Loja', { location: { latitude: -23.5, longitude: -46.6, name: 'Loja' } });

  const react = randomUUID();
  await send(react, '👍', { action: { kind: 'react', waMessageId: 'in-ana-poll', emoji: '👍' } });
  await sent(react, 'in-ana-poll', {
    kind: 'react',
    effect: {
      type: 'MessageReacted',
      data: { waMessageId: 'in-ana-poll', reactionId: react, from: own, emoji: '👍', timestamp: now() },
    },
  });
  const edit = randomUUID();
  await send(edit, 'Sim, @Bia!', { action: { kind: 'edit', waMessageId: 'out-ana-reply' } });
  await sent(edit, 'out-ana-reply', {
    kind: 'edit',
    effect: {
      type: 'MessageEdited',
      data: { waMessageId: 'out-ana-reply', body: 'Sim, @Bia!', editedAt: now() },
    },
  });
  const revoke = randomUUID();
  await send(revoke, '', { action: { kind: 'revoke', waMessageId: 'out-ana-poll' } });
  await on({ type: 'RecordSendFailure', messageId: revoke, reason: 'too late', attempt: 1, final: true });
}
