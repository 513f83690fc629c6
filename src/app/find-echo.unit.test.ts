import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { findEcho } from './find-echo.js';

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
