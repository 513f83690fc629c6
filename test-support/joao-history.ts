import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { EventStore, RecordedEvent } from '../src/adapters/event-store/port.js';
import { historyWriter } from './realistic-history.js';

/**
 * What the erasure tests write beside realistic-history.ts: João (the contact they erase) by his phone and his
 * linked-device ids, in his chat and in Maria's group, with his edits, votes, reactions, calls and changes that
 * wait for their message, and sends to him still in the outbox.
 */
export const joao = '5511988887777';
export const joaoJid = `${joao}@c.us`;
/** João's linked-device id, which the session learns is his (ContactLidMapped). */
export const joaoLid = '207745630986429@lid';
/** Another linked-device id of João's, which the session learns is his only after his erasure. */
export const lateLid = '207745630986430@lid';
/** What João says by `lateLid`: in its chat, and in the group. */
export const lateLidTexts = ['Por outro aparelho', 'No grupo por outro aparelho'];
/** The group of realistic-history.ts, where Maria writes; João writes, edits and votes there too. */
export const equipe = '120363025246125486@g.us';
/** A group the session created with João in it, and then removed him from. */
export const obras = '120363025246125487@g.us';
/**
 * What João (and the gateway to him) says: realistic-history.ts's texts of his chat, then what the test bed
 * adds: his linked-device chat, his message in the group by that id, his group message and its edit. (His
 * vote, `Sexta à tardinha`, is also an option of Maria's poll, which stays.)
 */
export const joaoTexts = [
  'Oi 0',
  'Oi 3',
  'Olá! Como posso ajudar?',
  'Eu levo o bolo',
  'Eu levo a torta de limão',
  'Pelo lid',
  'No grupo pelo lid',
];

/**
 * A message of João's that comes only after his erasure; before it, the session reacts to it and he edits it
 * (`joaoEarlyEdit`): changes that wait for their message (Early_Message_Changes).
 */
export const joaoLateMessage = 'in-joao-late';
export const joaoEarlyEdit = 'Texto corrigido antes';
/** João's reaction to Maria's poll in the group, and the name his contact list gives him (both sealed). */
export const joaoReaction = '🥳';
export const joaoContactName = 'João da Agenda';

export async function writeJoaoExtras(
  store: EventStore,
  acmeSession: string,
): Promise<{ messageId: string; clear: RecordedEvent }[]> {
  const { chat, incoming, session } = historyWriter(store);
  const inChat = (chatJid: string, command: Parameters<typeof chat>[3], factKey?: string) =>
    chat('acme', acmeSession, chatJid, command, factKey);
  // João, known by his linked-device id alone: a chat addressed by it, and a message of his in the group.
  await inChat(
    joaoLid,
    {
      type: 'RecordIncomingMessage',
      message: incoming(joaoLid, 'in-lid-0', 'Pelo lid', { senderPhone: null }),
    },
    'in-lid-0',
  );
  const byLid = incoming(equipe, 'in-group-lid', 'No grupo pelo lid', { from: joaoLid, senderPhone: null });
  await inChat(equipe, { type: 'RecordIncomingMessage', message: byLid }, 'in-group-lid');
  await session('acme', acmeSession, { type: 'RecordLidMapping', lid: joaoLid, phoneJid: joaoJid });
  // The group's members as WhatsApp lists them (João by his number and by his linked-device id), and Maria
  // making him an admin.
  await inChat(equipe, {
    type: 'RecordGroupSynced',
    subject: 'Equipe',
    description: null,
    participants: [
      { jid: joaoJid, isAdmin: false },
      { jid: joaoLid, isAdmin: false },
      { jid: '5511977776666@c.us', isAdmin: true },
    ],
  });
  await session('acme', acmeSession, {
    type: 'RecordParticipantsChange',
    groupJid: equipe,
    action: 'promote',
    participants: [joaoJid],
    by: '5511977776666@c.us',
  });
  // A group the session created with him in it, then took him out of.
  await inChat(obras, {
    type: 'RecordGroupCreated',
    subject: 'Obras',
    description: null,
    participants: [
      { jid: joaoJid, isAdmin: false },
      { jid: '5511977776666@c.us', isAdmin: false },
    ],
  });
  await inChat(obras, { type: 'RecordGroupParticipantsUpdate', action: 'remove', participants: [joaoJid] });
  const byPhone = { from: joaoJid, senderPhone: joao, chatName: 'Equipe' };
  const own = incoming(equipe, 'in-group-joao', 'Eu levo o bolo', byPhone);
  await inChat(equipe, { type: 'RecordIncomingMessage', message: own }, 'in-group-joao');
  // By a linked-device id not known to be his until after his erasure.
  await inChat(
    lateLid,
    {
      type: 'RecordIncomingMessage',
      message: incoming(lateLid, 'in-late-lid-0', lateLidTexts[0]!, { senderPhone: null }),
    },
    'in-late-lid-0',
  );
  const byLateLid = { from: lateLid, senderPhone: null };
  const late = incoming(equipe, 'in-group-late-lid', lateLidTexts[1]!, byLateLid);
  await inChat(equipe, { type: 'RecordIncomingMessage', message: late }, 'in-group-late-lid');
  // He edits it, and votes in Maria's poll.
  await inChat(
    equipe,
    { type: 'RecordEdit', waMessageId: 'in-group-joao', body: 'Eu levo a torta de limão', editedAt: 2 },
    'in-group-joao:edit:2',
  );
  const poll = { name: 'Quando?', options: ['Sexta à tardinha', 'Sábado'], selectableCount: 1 };
  const maria = { from: '5511977776666@c.us', senderPhone: '5511977776666', senderName: 'Maria', poll };
  const question = incoming(equipe, 'in-group-poll', '', { ...maria, type: 'poll_creation' });
  await inChat(equipe, { type: 'RecordIncomingMessage', message: question }, 'in-group-poll');
  const vote = { waMessageId: 'in-group-poll', from: joaoJid, selectedOptions: ['Sexta à tardinha'] };
  await inChat(equipe, { type: 'RecordPollVote', ...vote, timestamp: 3 }, 'in-group-poll:vote:3');
  // He and Maria react to the poll; his phone's contact list names him.
  for (const [reactionId, from, emoji] of [
    ['r-joao', joaoJid, joaoReaction],
    ['r-maria', maria.from, '👍'],
  ] as const)
    await inChat(
      equipe,
      { type: 'RecordReaction', waMessageId: 'in-group-poll', reactionId, from, emoji, timestamp: 4 },
      `in-group-poll:reaction:${reactionId}`,
    );
  await inChat(
    joaoJid,
    { type: 'RecordContactName', contactJid: joaoJid, phone: joao, name: joaoContactName },
    'contact-name:joao',
  );
  // Before a message of his has come, the session's phone reacts to it and he edits it: both wait for it.
  await inChat(
    joaoJid,
    {
      type: 'RecordReaction',
      waMessageId: joaoLateMessage,
      reactionId: 'r-own-early',
      from: '5511900000000@c.us',
      emoji: '👀',
      timestamp: 4,
    },
    'early-reaction',
  );
  await inChat(
    joaoJid,
    { type: 'RecordEdit', waMessageId: joaoLateMessage, body: joaoEarlyEdit, editedAt: 4 },
    'early-edit',
  );
  // In a second session of acme, in the same group, he only reacts (to Maria's message there).
  const reactingSession = randomUUID();
  await session('acme', reactingSession, {
    type: 'RegisterSession',
    companyId: 'acme',
    name: 'Vendas',
    phoneNumber: null,
    tokenHash: 'sha256:y',
  });
  const meeting = incoming(equipe, 'in-group-meeting', 'Reunião às 11h', {
    from: maria.from,
    senderPhone: maria.senderPhone,
    senderName: 'Maria',
  });
  await chat(
    'acme',
    reactingSession,
    equipe,
    { type: 'RecordIncomingMessage', message: meeting },
    'in-group-meeting',
  );
  await chat(
    'acme',
    reactingSession,
    equipe,
    {
      type: 'RecordReaction',
      waMessageId: 'in-group-meeting',
      reactionId: 'r-joao-2',
      from: joaoJid,
      emoji: joaoReaction,
      timestamp: 6,
    },
    'in-group-meeting:reaction:r-joao-2',
  );
  // He and Maria call the session.
  for (const [callId, from] of [
    ['call-joao', joaoJid],
    ['call-maria', maria.from],
  ] as const)
    await session('acme', acmeSession, {
      type: 'RecordIncomingCall',
      callId,
      from,
      isVideo: true,
      isGroup: false,
      timestamp: 5,
    });

  const pending: { messageId: string; clear: RecordedEvent }[] = [];
  for (const body of ['Seu pedido saiu', 'Chega amanhã']) {
    const messageId = randomUUID();
    const { events } = await inChat(joaoJid, {
      type: 'RequestMessageSend',
      messageId,
      from: '5511900000000@c.us',
      body,
      media: null,
      idempotencyKey: null,
      requestHash: null,
      sessionConnected: true,
    });
    const [requested] = await store.readStream(`chat-${acmeSession}_${joaoJid}`, {
      direction: 'backwards',
      maxCount: 1,
    });
    expect(requested!.id).toBe(events[0]!.id);
    pending.push({ messageId, clear: requested! });
  }
  return pending;
}
