import { describe, expect, it } from 'vitest';
import { changeMembers } from './group-membership.js';

const ana = '5511966665555@c.us';
const bia = '5511944443333@c.us';
const owner = { jid: '5511900000000@c.us', isAdmin: true };

describe('changeMembers', () => {
  it('adds new members as non-admins, once, after the ones already there', () =>
    expect(changeMembers([owner], 'add', [ana, ana, owner.jid])).toEqual([
      owner,
      { jid: ana, isAdmin: false },
    ]));

  it('removes members, and treats WhatsApp’s "leave" as a removal', () => {
    const members = [owner, { jid: ana, isAdmin: false }, { jid: bia, isAdmin: false }];
    expect(changeMembers(members, 'remove', [ana])).toEqual([owner, { jid: bia, isAdmin: false }]);
    expect(changeMembers(members, 'leave', [bia])).toEqual([owner, { jid: ana, isAdmin: false }]);
  });

  it('promotes and demotes only members', () => {
    const promoted = changeMembers([owner, { jid: ana, isAdmin: false }], 'promote', [ana, bia]);
    expect(promoted).toEqual([owner, { jid: ana, isAdmin: true }]);
    expect(changeMembers(promoted, 'demote', [owner.jid])).toEqual([
      { ...owner, isAdmin: false },
      { jid: ana, isAdmin: true },
    ]);
  });

  it('leaves the members as they were for an action it does not know', () =>
    expect(changeMembers([owner], 'subject', [ana])).toEqual([owner]));
});
