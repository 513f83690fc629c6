import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../projected-event.js';
import { applyToGroup, groupOf, newGroupRow } from './group-rows.js';

const sessionId = '7d1c6b1e-3f8e-4c1a-9f57-7c9b0e2f0a11';
const group = '120363000000000777@g.us';
const ana = '5511966665555@c.us';
let position = 0n;

function event(type: string, data: object, stream: 'chat' | 'session', revision: bigint): ProjectedEvent {
  position += 1n;
  return {
    type,
    data,
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamName: stream === 'chat' ? `chat-${sessionId}_${group}` : `session-${sessionId}`,
    revision,
    position,
    checkpoint: String(position),
    metadata: {
      eventId: 'x',
      companyId: 'acme',
      sessionId,
      correlationId: 'c',
      causationId: null,
      actor: { type: 'user', id: 'u' },
      recordedAt: '2026-03-01T09:00:00.000Z',
    },
  } as unknown as ProjectedEvent;
}

describe('a group row', () => {
  const created = event(
    'GroupCreated',
    { subject: 'Fornecedores', description: null, participants: [{ jid: ana, isAdmin: false }] },
    'chat',
    0n,
  );
  const promoted = event(
    'GroupParticipantsChanged',
    { groupJid: group, action: 'promote', participants: [ana], by: null },
    'session',
    7n,
  );

  it('knows which group an event is about, from either stream', () => {
    expect(groupOf(created)).toEqual({ groupJid: group, stream: 'chat' });
    expect(groupOf(promoted)).toEqual({ groupJid: group, stream: 'session' });
  });

  it('applies each stream’s events once: an event at or below the row’s revision of its stream changes nothing', () => {
    const row = applyToGroup(applyToGroup(newGroupRow(created, group), created, 'chat'), promoted, 'session');
    expect(row).toMatchObject({ Subject: 'Fornecedores', Participants: [{ jid: ana, isAdmin: true }] });
    expect(applyToGroup(row, promoted, 'session')).toBe(row);
    expect(applyToGroup(row, created, 'chat')).toBe(row);
  });

  it('replaces subject, description and members with a sync, and holds the group again after it was left', () => {
    const bia = '5511944443333@c.us';
    const left = event('GroupLeft', {}, 'chat', 1n);
    const synced = event(
      'GroupSynced',
      { subject: 'Fornecedores 2026', description: 'Compras', participants: [{ jid: bia, isAdmin: true }] },
      'chat',
      2n,
    );
    expect(groupOf(synced)).toEqual({ groupJid: group, stream: 'chat' });
    let row = applyToGroup(applyToGroup(newGroupRow(created, group), created, 'chat'), promoted, 'session');
    row = applyToGroup(row, left, 'chat');
    expect(row.Is_Member).toBe(false);
    row = applyToGroup(row, synced, 'chat');
    expect(row).toMatchObject({
      Subject: 'Fornecedores 2026',
      Description: 'Compras',
      Participants: [{ jid: bia, isAdmin: true }],
      Is_Member: true,
      Last_Chat_Revision: '2',
      Last_Session_Revision: '7',
    });
    expect(applyToGroup(row, synced, 'chat')).toBe(row);
  });
});
