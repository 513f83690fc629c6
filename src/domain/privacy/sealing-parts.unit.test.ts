import { describe, expect, it } from 'vitest';
import { groupAuthorContact, sealingParts } from './sealing-parts.js';

const group = 'group:120363000000000001@g.us';
const received = (extra: Record<string, string | boolean | null>) => ({
  fromMe: false,
  from: '5511988887777@c.us',
  senderPhone: '5511988887777',
  ...extra,
});

describe('whose keys seal a message', () => {
  it("names a group message's author by phone, from its JID or its senderPhone", () => {
    expect(groupAuthorContact('MessageReceived', received({}))).toBe('5511988887777');
    expect(groupAuthorContact('MessageReceived', received({ from: '207745630986429@lid' }))).toBe(
      '5511988887777',
    );
  });

  it('names an author known only by a linked-device id by that id, and the session itself by none', () => {
    expect(
      groupAuthorContact('MessageReceived', received({ from: '207745630986429@lid', senderPhone: null })),
    ).toBe('lid:207745630986429@lid');
    expect(groupAuthorContact('MessageReceived', received({ fromMe: true }))).toBeUndefined();
    expect(groupAuthorContact('MessageEdited', received({}))).toBeUndefined();
  });

  it("names an edit's author by the edited message's, and a vote's by its voter; the session's own edits none", () => {
    const edit = { waMessageId: 'w1', body: 'novo' };
    expect(groupAuthorContact('MessageEdited', edit, { from: '5511988887777@c.us', fromMe: false })).toBe(
      '5511988887777',
    );
    expect(groupAuthorContact('MessageEdited', edit, { from: '207745630986429@lid', fromMe: false })).toBe(
      'lid:207745630986429@lid',
    );
    expect(
      groupAuthorContact('MessageEdited', edit, { from: '5511900000000@c.us', fromMe: true }),
    ).toBeUndefined();
    expect(groupAuthorContact('PollVoted', { from: '5511988887777@c.us' })).toBe('5511988887777');
  });

  it("splits a group message between its author's key and the group's, and leaves one-to-one chats whole", () => {
    const personal = { body: 'oi', senderName: 'João', chatName: 'Equipe' };
    expect(sealingParts(group, 'MessageReceived', received({}), personal)).toEqual([
      { contact: '5511988887777', personal: { body: 'oi', senderName: 'João' } },
      { contact: group, personal: { chatName: 'Equipe' } },
    ]);
    expect(sealingParts(group, 'MessageReceived', received({}), { body: 'oi' })).toEqual([
      { contact: '5511988887777', personal: { body: 'oi' } },
    ]);
    expect(sealingParts('5511988887777', 'MessageReceived', received({}), personal)).toEqual([
      { contact: '5511988887777', personal },
    ]);
  });
});
