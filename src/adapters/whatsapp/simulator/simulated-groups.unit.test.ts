import { describe, expect, it } from 'vitest';
import { GroupChangeRefusedError, GroupNotFoundError } from '../port.js';
import { SimulatedGroups } from './simulated-groups.js';

const own = '5511900000000@c.us';
const ana = '5511966665555@c.us';
const bia = '5511944443333@c.us';

describe('the simulator’s groups', () => {
  const groups = () => new SimulatedGroups(() => own);

  it('creates a group with the session as admin and refuses numbers not on WhatsApp', () => {
    const created = groups().create('Equipe', [ana, '999123456789@c.us']);
    expect(created.groupJid).toMatch(/^120363\d{12}@g\.us$/);
    expect(created.participants).toEqual([
      { jid: own, isAdmin: true },
      { jid: ana, isAdmin: false },
    ]);
    expect(created.refused).toEqual([{ jid: '999123456789@c.us', reason: 'not on WhatsApp' }]);
  });

  it('remembers members: adding one twice is refused for them, removing a non-member refuses the change', () => {
    const simulated = groups();
    const { groupJid } = simulated.create('Equipe', [ana]);
    expect(simulated.change(groupJid, 'add', [ana, bia])).toEqual({
      changed: [bia],
      refused: [{ jid: ana, reason: 'already a participant' }],
    });
    simulated.change(groupJid, 'remove', [bia]);
    expect(() => simulated.change(groupJid, 'remove', [bia])).toThrow(GroupChangeRefusedError);
    expect(() => simulated.change(groupJid, 'promote', [bia])).toThrow(/not a participant/);
  });

  it('refuses changes once the session is no longer an admin, and everything once it left', () => {
    const simulated = groups();
    const { groupJid } = simulated.create('Equipe', [ana]);
    simulated.applyReported(groupJid, 'demote', [own]);
    expect(() => simulated.change(groupJid, 'add', [bia])).toThrow(/not an admin/);
    simulated.leave(groupJid);
    expect(() => simulated.leave(groupJid)).toThrow(GroupNotFoundError);
    expect(() => simulated.change(groupJid, 'add', [bia])).toThrow(GroupNotFoundError);
  });

  it('forgets a group the session was removed from by someone else', () => {
    const simulated = groups();
    const { groupJid } = simulated.create('Equipe', [ana]);
    simulated.applyReported(groupJid, 'remove', [own]);
    expect(() => simulated.leave(groupJid)).toThrow(GroupNotFoundError);
  });
});
