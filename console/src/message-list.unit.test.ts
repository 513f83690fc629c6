import { describe, expect, it } from 'vitest';
import { applyAck, mergeMessages, tickOf } from './message-list.js';
import type { Message } from './types.js';

const message = (id: string, timestamp: number, status = 2): Message => ({
  id,
  chatId: '5511988887777@c.us',
  direction: 'OUT',
  type: 'chat',
  body: id,
  status,
  timestamp,
  from: 'me',
  to: '5511988887777@c.us',
  fromMe: true,
});

describe('a chat’s messages in the console', () => {
  it('are kept oldest first, once each, whatever order pages and frames come in', () => {
    const merged = mergeMessages([message('b', 2), message('c', 3)], [message('a', 1), message('b', 2)]);
    expect(merged.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('never show a delivery status going back when an older read arrives late', () => {
    const merged = mergeMessages([message('a', 1, 4)], [message('a', 1, 2)]);
    expect(merged[0]!.status).toBe(4);
  });

  it('take the WhatsApp id of a sent message from the ack that carries both ids', () => {
    const sent = applyAck([message('own-id', 1, 1)], {
      id: 'true_x_ABC',
      chatId: 'x',
      status: 2,
      messageId: 'own-id',
    });
    expect(sent.map((m) => [m.id, m.status])).toEqual([['true_x_ABC', 2]]);
  });

  it('keep one message when a read already brought the WhatsApp id before the ack', () => {
    const kept = [message('own-id', 1, 1), message('true_x_ABC', 1, 2)];
    const acked = applyAck(kept, { id: 'true_x_ABC', chatId: 'x', status: 3, messageId: 'own-id' });
    expect(acked.map((m) => [m.id, m.status])).toEqual([['true_x_ABC', 3]]);
  });

  it('move ticks forward only', () => {
    const acked = applyAck([message('a', 1, 4)], { id: 'a', chatId: 'x', status: 3 });
    expect(acked[0]!.status).toBe(4);
  });

  it('show ticks as WhatsApp does', () => {
    expect([0, 1, 2, 3, 4, 5].map((s) => tickOf(s))).toEqual([
      { symbol: '!', read: false },
      { symbol: '…', read: false },
      { symbol: '✓', read: false },
      { symbol: '✓✓', read: false },
      { symbol: '✓✓', read: true },
      { symbol: '✓✓', read: true },
    ]);
  });
});
