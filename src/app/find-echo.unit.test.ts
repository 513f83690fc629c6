import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { echoOf, findEcho } from './find-echo.js';

const own = (waMessageId: string, body: string, at: string): ChatEvent & { recordedAt: Date } => ({
  type: 'MessageReceived',
  data: {
    waMessageId,
    chatJid: '5511988887777@c.us',
    isGroup: false,
    fromMe: true,
    from: 'me@c.us',
    to: '5511988887777@c.us',
    senderName: null,
    senderPhone: null,
    chatName: null,
    type: 'chat',
    body,
    media: null,
    timestamp: Date.parse(at) / 1000,
  },
  recordedAt: new Date(at),
});

describe('finding the echo of a send lost in a crash', () => {
  it('finds an own message with the same text after the attempt started', () => {
    expect(findEcho([own('w1', 'Olá', '2026-01-01T10:00:02Z')], 'Olá', '2026-01-01T10:00:00.000Z')).toEqual({
      waMessageId: 'w1',
      timestamp: 1767261602,
    });
  });

  it('ignores an older own message with the same text', () => {
    expect(
      findEcho([own('w1', 'Olá', '2026-01-01T09:00:00Z')], 'Olá', '2026-01-01T10:00:00.000Z'),
    ).toBeUndefined();
  });

  it('ignores an echo already tied to another send', () => {
    const sent: ChatEvent & { recordedAt: Date } = {
      type: 'MessageSent',
      data: { messageId: '0b5e7a5c-6a0e-4c1f-9a57-2f3b2b0f5a10', waMessageId: 'w1', ack: 1, timestamp: 1 },
      recordedAt: new Date('2026-01-01T10:00:03Z'),
    };
    expect(
      findEcho([own('w1', 'Olá', '2026-01-01T10:00:02Z'), sent], 'Olá', '2026-01-01T10:00:00.000Z'),
    ).toBeUndefined();
  });

  it('ignores own messages with another text', () => {
    expect(
      findEcho([own('w1', 'Oi', '2026-01-01T10:00:02Z')], 'Olá', '2026-01-01T10:00:00.000Z'),
    ).toBeUndefined();
  });
});

describe('finding the echo of a poll, a location or a change to a message', () => {
  const requested = {
    messageId: '0b5e7a5c-6a0e-4c1f-9a57-2f3b2b0f5a10',
    chatJid: '5511988887777@c.us',
    from: 'me@c.us',
    body: '',
    media: null,
    idempotencyKey: null,
    requestHash: null,
  };
  const at = (event: ChatEvent, time = '2026-01-01T10:00:02Z') => ({ ...event, recordedAt: new Date(time) });
  const since = '2026-01-01T10:00:00.000Z';

  it('finds an own poll with the same question', () => {
    const poll = { name: 'Dia?', options: ['Seg', 'Sex'], selectableCount: 1 };
    const echo = own('w2', 'Dia?', '2026-01-01T10:00:02Z') as Extract<
      ChatEvent,
      { type: 'MessageReceived' }
    > & {
      recordedAt: Date;
    };
    const event = { ...echo, data: { ...echo.data, type: 'poll_creation', poll } };
    expect(findEcho([event], echoOf({ ...requested, poll }), since)).toMatchObject({ waMessageId: 'w2' });
    expect(findEcho([echo], echoOf({ ...requested, poll }), since)).toBeUndefined();
  });

  it('finds the own reaction with the same emoji, as a change of the message reacted to', () => {
    const action = { kind: 'react' as const, waMessageId: 'w1', emoji: '👍' };
    const reaction = (from: string, emoji: string) =>
      at({
        type: 'MessageReacted',
        data: { waMessageId: 'w1', reactionId: 'r', from, emoji, timestamp: 5 },
      });
    const matcher = echoOf({ ...requested, action });
    expect(findEcho([reaction('me@c.us', '👍')], matcher, since)).toEqual({
      waMessageId: 'w1',
      timestamp: 5,
      change: true,
    });
    expect(findEcho([reaction('other@c.us', '👍')], matcher, since)).toBeUndefined();
    expect(findEcho([reaction('me@c.us', '❤️')], matcher, since)).toBeUndefined();
  });

  it('finds the edit with the new text, and the deletion, of the message changed', () => {
    const edit = echoOf({ ...requested, body: 'novo', action: { kind: 'edit', waMessageId: 'w1' } });
    const edited = (body: string) =>
      at({ type: 'MessageEdited', data: { waMessageId: 'w1', body, editedAt: 7 } });
    expect(findEcho([edited('novo')], edit, since)).toMatchObject({ waMessageId: 'w1' });
    expect(findEcho([edited('velho')], edit, since)).toBeUndefined();
    const revoke = echoOf({ ...requested, action: { kind: 'revoke', waMessageId: 'w1' } });
    expect(
      findEcho([at({ type: 'MessageRevoked', data: { waMessageId: 'w1' } })], revoke, since),
    ).toMatchObject({
      waMessageId: 'w1',
    });
    // A deletion from before the attempt started is not its echo.
    expect(
      findEcho(
        [at({ type: 'MessageRevoked', data: { waMessageId: 'w1' } }, '2026-01-01T09:00:00Z')],
        revoke,
        since,
      ),
    ).toBeUndefined();
  });
});
