import { describe, expect, it } from 'vitest';
import { createSendPacing } from './send-pacing.js';

describe('send pacing', () => {
  it('lets a send to another recipient go while one recipient waits for its interval', async () => {
    const pacing = createSendPacing({ ratePerSecond: 100, burst: 10, minIntervalPerChatMs: 500 });
    await pacing.take('s1', 'a@c.us');
    const started = Date.now();
    const order: string[] = [];
    await Promise.all([
      pacing.take('s1', 'a@c.us').then(() => order.push('a')),
      pacing.take('s1', 'b@c.us').then(() => order.push('b')),
    ]);
    expect(order).toEqual(['b', 'a']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('spreads a session’s burst at its rate', async () => {
    const pacing = createSendPacing({ ratePerSecond: 20, burst: 2, minIntervalPerChatMs: 0 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => pacing.take('s1', `${i}@c.us`)));
    // Two at once, then four at 20/s: about 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('forgets sessions and recipients that no longer constrain anything', async () => {
    const pacing = createSendPacing({ ratePerSecond: 1000, burst: 5, minIntervalPerChatMs: 10 });
    for (let i = 0; i < 50; i++) await pacing.take(`s${i}`, `${i}@c.us`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await pacing.take('last', 'x@c.us');
    expect(pacing.size()).toEqual({ sessions: 1, chats: 1 });
  });
});
