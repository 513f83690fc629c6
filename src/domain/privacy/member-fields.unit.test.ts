import { describe, expect, it } from 'vitest';
import { erasedData, mergePersonal, splitPersonal } from './sealed-data.js';
import { sealingParts } from './sealing-parts.js';

const joao = '5511988887777@c.us';
const maria = '5511977776666@c.us';
const lid = '207745630986429@lid';
const synced = {
  subject: 'Equipe',
  description: null,
  participants: [
    { jid: joao, isAdmin: false },
    { jid: lid, isAdmin: true },
    { jid: maria, isAdmin: false },
  ],
};
const changed = { groupJid: '1203@g.us', action: 'add', participants: [joao, maria], by: maria };

describe("a group's members in its events", () => {
  it('takes each member id out by its place in the list, keeping the list and its admin flags', () => {
    const split = splitPersonal('GroupSynced', synced)!;
    expect(split.personal).toEqual({
      'participants.0': joao,
      'participants.1': lid,
      'participants.2': maria,
    });
    expect(split.clear).toEqual({
      subject: 'Equipe',
      description: null,
      participants: [
        { jid: '', isAdmin: false },
        { jid: '', isAdmin: true },
        { jid: '', isAdmin: false },
      ],
    });
    expect(mergePersonal(split.clear, split.personal)).toEqual(synced);
  });

  it('takes who made a change out too, and leaves an unknown one as it is', () => {
    const split = splitPersonal('GroupParticipantsChanged', changed)!;
    expect(split.personal).toEqual({ 'participants.0': joao, 'participants.1': maria, by: maria });
    expect(split.clear).toEqual({ groupJid: '1203@g.us', action: 'add', participants: ['', ''], by: null });
    expect(mergePersonal(split.clear, split.personal)).toEqual(changed);
    expect(splitPersonal('GroupParticipantsChanged', { ...changed, by: null })!.clear.by).toBeNull();
  });

  it("seals each member's id under that member's key, and what names no contact under the group's", () => {
    const { personal } = splitPersonal('GroupSynced', {
      ...synced,
      participants: [...synced.participants, { jid: 'status@broadcast', isAdmin: false }],
    })!;
    expect(sealingParts('group:1203@g.us', 'GroupSynced', synced, personal)).toEqual([
      { contact: '5511988887777', personal: { 'participants.0': joao } },
      { contact: `lid:${lid}`, personal: { 'participants.1': lid } },
      { contact: '5511977776666', personal: { 'participants.2': maria } },
      { contact: 'group:1203@g.us', personal: { 'participants.3': 'status@broadcast' } },
    ]);
    const ofChange = splitPersonal('GroupParticipantsChanged', changed)!.personal;
    expect(sealingParts('group:1203@g.us', 'GroupParticipantsChanged', changed, ofChange)).toEqual([
      { contact: '5511988887777', personal: { 'participants.0': joao } },
      { contact: '5511977776666', personal: { 'participants.1': maria, by: maria } },
    ]);
  });

  it("reads an erased member's id as '' in its list and as null as the one who made the change", () => {
    const { clear } = splitPersonal('GroupParticipantsChanged', changed)!;
    const opened = mergePersonal(clear, { 'participants.1': maria });
    expect(erasedData('GroupParticipantsChanged', opened, ['participants.0', 'by'])).toEqual({
      ...changed,
      participants: ['', maria],
      by: null,
      erased: true,
    });
    const syncedClear = splitPersonal('GroupSynced', synced)!.clear;
    const others = mergePersonal(syncedClear, { 'participants.0': joao, 'participants.2': maria });
    expect(erasedData('GroupSynced', others, ['participants.1']).participants).toEqual([
      { jid: joao, isAdmin: false },
      { jid: '', isAdmin: true },
      { jid: maria, isAdmin: false },
    ]);
  });
});
