import { describe, expect, it } from 'vitest';
import { groupsToSync, type KnownGroup } from './group-sync.js';

const equipe = '120363025246125486@g.us';
const familia = '120363000000000999@g.us';
const own = '5511900001111@c.us';
const ana = '5511966665555@c.us';

const listedEquipe = {
  groupJid: equipe,
  subject: 'Equipe',
  description: 'Vendas',
  participants: [
    { jid: own, isAdmin: true },
    { jid: ana, isAdmin: false },
  ],
};
const known = (overrides: Partial<KnownGroup> = {}): KnownGroup => ({
  subject: 'Equipe',
  description: 'Vendas',
  // Another order than WhatsApp's list: the members are the same.
  participants: [
    { jid: ana, isAdmin: false },
    { jid: own, isAdmin: true },
  ],
  isMember: true,
  chatRevision: '3',
  sessionRevision: '-1',
  ...overrides,
});

describe('which listed groups to sync', () => {
  it('skips a group known as listed, and syncs one the gateway never saw', () => {
    const listedFamilia = { groupJid: familia, subject: 'Família', description: null, participants: [] };
    const toSync = groupsToSync([listedEquipe, listedFamilia], new Map([[equipe, known()]]));
    expect(toSync).toEqual([
      {
        ...listedFamilia,
        factKey: expect.stringMatching(/^group-sync:120363000000000999@g\.us:new:/) as unknown,
      },
    ]);
  });

  it('syncs a group whose subject, description, members, admin flags or membership differ', () => {
    const variants: Partial<KnownGroup>[] = [
      { subject: 'Antigo' },
      { description: null },
      { participants: [{ jid: own, isAdmin: true }] },
      {
        participants: [
          { jid: own, isAdmin: true },
          { jid: ana, isAdmin: true },
        ],
      },
      { isMember: false },
    ];
    for (const variant of variants)
      expect(
        groupsToSync([listedEquipe], new Map([[equipe, known(variant)]])),
        JSON.stringify(variant),
      ).toEqual([expect.objectContaining({ groupJid: equipe, subject: 'Equipe', description: 'Vendas' })]);
  });

  it('gives the same list read against the same known group the same fact key, and a new one once it changed', () => {
    const stale = known({ subject: 'Antigo' });
    const [first] = groupsToSync([listedEquipe], new Map([[equipe, stale]]));
    const [again] = groupsToSync([listedEquipe], new Map([[equipe, stale]]));
    const [later] = groupsToSync([listedEquipe], new Map([[equipe, { ...stale, chatRevision: '9' }]]));
    expect(again!.factKey).toBe(first!.factKey);
    expect(later!.factKey).not.toBe(first!.factKey);
  });
});
