import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from '../projected-event.js';
import { sessionLogEntry } from './session-log-entry.js';

const projected = (type: string, data: Record<string, unknown>) =>
  ({
    type,
    data,
    id: '7d0a3a52-9d63-4c1f-8a57-2f3b2b0f5a10',
    streamName: 'session-s-1',
    revision: 3n,
    position: 9n,
    checkpoint: '1:9',
    metadata: {} as ProjectedEvent['metadata'],
  }) as ProjectedEvent;

describe('a session log line', () => {
  it('says who joined or left a group, and who did it', () =>
    expect(
      sessionLogEntry(
        projected('GroupParticipantsChanged', {
          groupJid: '120363025246125486@g.us',
          action: 'add',
          participants: ['5511955554444@c.us'],
          by: '5511977776666@c.us',
        }),
      ),
    ).toMatchObject({
      level: 'info',
      message: 'Group 120363025246125486@g.us: add 5511955554444@c.us (by 5511977776666@c.us)',
    }));

  it('records an incoming call, which WhatsApp Web cannot answer', () =>
    expect(
      sessionLogEntry(
        projected('IncomingCallReceived', {
          callId: 'c-1',
          from: '5511977776666@c.us',
          isVideo: true,
          isGroup: false,
          timestamp: 1_765_717_960,
        }),
      ),
    ).toMatchObject({
      level: 'info',
      message: expect.stringContaining('Video call from 5511977776666@c.us'),
    }));

  it('names no one for a call whose caller was erased', () =>
    expect(
      sessionLogEntry(
        projected('IncomingCallReceived', {
          callId: 'c-1',
          from: '',
          isVideo: false,
          isGroup: false,
          timestamp: 1,
        }),
      ),
    ).toMatchObject({ message: 'Call from an erased contact (not answered: WhatsApp Web cannot)' }));

  it('records which phone number a linked-device id stands for', () =>
    expect(
      sessionLogEntry(projected('ContactLidMapped', { lid: '1799@lid', phoneJid: '5511977776666@c.us' })),
    ).toMatchObject({ message: '1799@lid is 5511977776666@c.us' }));

  it('names no number once the contact a linked-device id stands for is erased', () =>
    expect(
      sessionLogEntry(projected('ContactLidMapped', { lid: '1799@lid', phoneJid: '', contactHash: 'ab12' })),
    ).toEqual({
      level: 'info',
      message: '1799@lid is an erased contact',
      details: { lid: '1799@lid', phoneJid: '', contactHash: 'ab12' },
    }));
});
