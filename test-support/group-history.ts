import type { historyWriter } from './realistic-history.js';

type Writer = ReturnType<typeof historyWriter>;

/**
 * What groups add to a session's history: members WhatsApp reports joining and promoted in a group the session
 * is in, groups the session created, changed and left through the gateway, groups synced from WhatsApp's list
 * at a connect, and a group WhatsApp reported the session removed from.
 */
export async function writeGroupHistory(
  { session, chat }: Writer,
  companyId: string,
  sessionId: string,
  own: string,
): Promise<void> {
  const equipe = '120363025246125486@g.us';
  const created = '120363000000000777@g.us';
  const left = '120363000000000888@g.us';
  const maria = '5511977776666@c.us';
  const ana = '5511966665555@c.us';
  const bia = '5511944443333@c.us';
  const reported = (groupJid: string, action: string, participants: string[]) =>
    session(companyId, sessionId, {
      type: 'RecordParticipantsChange',
      groupJid,
      action,
      participants,
      by: null,
    });
  const on = (groupJid: string, command: Parameters<Writer['chat']>[3]) =>
    chat(companyId, sessionId, groupJid, command);

  await reported(equipe, 'add', [maria, ana]);
  await reported(equipe, 'promote', [maria]);
  await reported(equipe, 'leave', [ana]);

  await on(created, {
    type: 'RecordGroupCreated',
    subject: 'Fornecedores',
    description: null,
    participants: [
      { jid: own, isAdmin: true },
      { jid: ana, isAdmin: false },
    ],
  });
  await on(created, { type: 'RecordGroupParticipantsUpdate', action: 'add', participants: [bia, maria] });
  await on(created, { type: 'RecordGroupParticipantsUpdate', action: 'remove', participants: [maria] });
  await on(created, { type: 'RecordGroupParticipantsUpdate', action: 'promote', participants: [ana] });
  await reported(created, 'demote', [ana]);

  await on(left, {
    type: 'RecordGroupCreated',
    subject: 'Temporário',
    description: null,
    participants: [{ jid: own, isAdmin: true }],
  });
  await on(left, { type: 'RecordGroupLeft' });

  // The sync at a connect: WhatsApp's list tells the subject and description of a group known only by its
  // members' changes, and a group the gateway never saw.
  await on(equipe, {
    type: 'RecordGroupSynced',
    subject: 'Equipe',
    description: 'Metas do mês',
    participants: [
      { jid: own, isAdmin: false },
      { jid: maria, isAdmin: true },
    ],
  });
  const synced = '120363000000000999@g.us';
  await on(synced, {
    type: 'RecordGroupSynced',
    subject: 'Família',
    description: null,
    participants: [
      { jid: own, isAdmin: false },
      { jid: bia, isAdmin: true },
    ],
  });
  // Then WhatsApp reports the session removed from it: the recorder adds that the session left.
  await reported(synced, 'remove', [own]);
  await on(synced, { type: 'RecordGroupLeft' });
}
