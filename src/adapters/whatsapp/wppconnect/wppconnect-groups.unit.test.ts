import { describe, expect, it } from 'vitest';
import {
  GroupCallFailedError,
  GroupChangeRefusedError,
  GroupNotFoundError,
  SessionNotRunningError,
} from '../port.js';
import { useFakeWppconnect } from './fake-wppconnect.js';
import { notAnswered } from './group-calls.js';

const group = '120363000000000001@g.us';
const ana = '5511966665555@c.us';
const bia = '5511944443333@c.us';

describe('WPPConnect driver: groups', () => {
  const { started } = useFakeWppconnect();

  it('creates a group with createGroup and answers its id and members, the session first as admin', async () => {
    const { wpp, session } = await started();
    expect(await session.createGroup('Equipe', [ana, bia])).toEqual({
      groupJid: group,
      participants: [
        { jid: '5511900001111@c.us', isAdmin: true },
        { jid: ana, isAdmin: false },
        { jid: bia, isAdmin: false },
      ],
      refused: [],
    });
    expect(wpp.client.createGroup).toHaveBeenCalledWith('Equipe', [ana, bia]);
  });

  it('reports whom WhatsApp did not add, with its code', async () => {
    const { wpp, session } = await started();
    wpp.client.createGroup.mockResolvedValueOnce({
      gid: '120363000000000002@g.us',
      participants: { [ana]: { code: 200 }, [bia]: { code: 403, message: 'privacy settings' } },
    });
    const created = await session.createGroup('Equipe', [ana, bia]);
    expect(created.participants.map((p) => p.jid)).toEqual(['5511900001111@c.us', ana]);
    expect(created.refused).toEqual([{ jid: bia, reason: 'privacy settings (code 403)' }]);
  });

  it('takes the JID WhatsApp answers with (a number it knows otherwise), and refuses whom the answer omits', async () => {
    const { wpp, session } = await started();
    wpp.client.addParticipant.mockResolvedValueOnce({
      '551188887777@c.us': { wid: { _serialized: '551188887777@c.us' }, code: 200, message: 'OK' },
    });
    expect(await session.changeGroupParticipants(group, 'add', ['5511988887777@c.us', ana])).toEqual({
      changed: ['551188887777@c.us'],
      refused: [
        { jid: '5511988887777@c.us', reason: notAnswered },
        { jid: ana, reason: notAnswered },
      ],
    });
  });

  it('calls addParticipant, removeParticipant, promoteParticipant and demoteParticipant with the group and ids', async () => {
    const { wpp, session } = await started();
    expect(await session.changeGroupParticipants(group, 'add', [ana])).toEqual({
      changed: [ana],
      refused: [],
    });
    await session.changeGroupParticipants(group, 'remove', [ana]);
    await session.changeGroupParticipants(group, 'promote', [bia]);
    await session.changeGroupParticipants(group, 'demote', [bia]);
    expect(wpp.client.addParticipant).toHaveBeenCalledWith(group, [ana]);
    expect(wpp.client.removeParticipant).toHaveBeenCalledWith(group, [ana]);
    expect(wpp.client.promoteParticipant).toHaveBeenCalledWith(group, [bia]);
    expect(wpp.client.demoteParticipant).toHaveBeenCalledWith(group, [bia]);
  });

  it('refuses an add of which WhatsApp added no one', async () => {
    const { wpp, session } = await started();
    wpp.client.addParticipant.mockResolvedValueOnce({ [ana]: { code: 409, message: 'already in group' } });
    await expect(session.changeGroupParticipants(group, 'add', [ana])).rejects.toThrow(
      GroupChangeRefusedError,
    );
  });

  it('maps WA-JS refusals: a group the session is not in, a non-member, no answer in time', async () => {
    const { wpp, session } = await started();
    wpp.client.removeParticipant.mockRejectedValueOnce(new Error('group_not_found: Group not found'));
    await expect(session.changeGroupParticipants(group, 'remove', [ana])).rejects.toThrow(GroupNotFoundError);
    wpp.client.removeParticipant.mockRejectedValueOnce(
      new Error('group_participant_not_found: Participant not found'),
    );
    await expect(session.changeGroupParticipants(group, 'remove', [ana])).rejects.toThrow(
      /recusou.*group_participant_not_found/,
    );
    wpp.client.leaveGroup.mockReturnValueOnce(new Promise(() => undefined));
    const leaving = session.leaveGroup(group);
    await expect(leaving).rejects.toThrow(GroupCallFailedError);
  }, 20_000);

  it('leaves with leaveGroup, and refuses every group call once the session is stopped', async () => {
    const { wpp, session } = await started();
    await session.leaveGroup(group);
    expect(wpp.client.leaveGroup).toHaveBeenCalledWith(group);
    await session.stop();
    await expect(session.leaveGroup(group)).rejects.toBeInstanceOf(SessionNotRunningError);
    await expect(session.createGroup('Equipe', [ana])).rejects.toBeInstanceOf(SessionNotRunningError);
  });

  it('lists the groups with getAllGroups(false): subject, description, members with admin and owner flags', async () => {
    const { wpp, session } = await started();
    wpp.client.getAllGroups.mockResolvedValueOnce([
      {
        id: { _serialized: group, user: '120363000000000001', server: 'g.us' },
        name: 'Equipe (nome do chat)',
        groupMetadata: {
          subject: 'Equipe',
          desc: 'Metas do mês',
          participants: [
            { id: { _serialized: '5511900001111@c.us' }, isAdmin: false, isSuperAdmin: true },
            { id: { user: '5511966665555', server: 'c.us' }, isAdmin: true, isSuperAdmin: false },
            { id: { _serialized: bia }, isAdmin: false, isSuperAdmin: false },
          ],
        },
      },
      { id: { _serialized: '120363000000000002@g.us' }, name: 'Sem metadados', groupMetadata: {} },
      { id: { _serialized: ana }, name: 'Não é grupo' },
    ]);
    expect(await session.listGroups()).toEqual([
      {
        groupJid: group,
        subject: 'Equipe',
        description: 'Metas do mês',
        participants: [
          { jid: '5511900001111@c.us', isAdmin: true },
          { jid: ana, isAdmin: true },
          { jid: bia, isAdmin: false },
        ],
      },
      { groupJid: '120363000000000002@g.us', subject: 'Sem metadados', description: null, participants: [] },
    ]);
    expect(wpp.client.getAllGroups).toHaveBeenCalledWith(false);
  });
});
