import { describe, expect, it, vi } from 'vitest';
import { toJid } from '../domain/jid.js';
import { createNumberCheck, NumberNotOnWhatsAppError } from './number-check.js';

const setUp = (ttlMs = 1000, maxEntries?: number) => {
  let now = 0;
  const ask = vi.fn((_sessionId: string, phone: string) =>
    Promise.resolve(
      phone.startsWith('999') ? { exists: false, jid: null } : { exists: true, jid: `${phone}@c.us` },
    ),
  );
  const check = createNumberCheck({ ask, ttlMs, now: () => now, ...(maxEntries ? { maxEntries } : {}) });
  return { check, ask, advance: (ms: number) => (now += ms) };
};

describe('number check', () => {
  it('asks WhatsApp once per session and number while the answer is fresh', async () => {
    const { check, ask, advance } = setUp();
    await check.check('s1', '5511988887777');
    advance(999);
    await check.check('s1', '5511988887777');
    expect(ask).toHaveBeenCalledTimes(1);
    await check.check('s2', '5511988887777');
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('asks again once the answer is older than the TTL', async () => {
    const { check, ask, advance } = setUp();
    await check.check('s1', '5511988887777');
    advance(1000);
    await check.check('s1', '5511988887777');
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('remembers nothing with a TTL of 0', async () => {
    const { check, ask } = setUp(0);
    await check.check('s1', '999123456789');
    await check.check('s1', '999123456789');
    expect(ask).toHaveBeenCalledTimes(2);
    expect(() => check.refuseKnownMissing('s1', toJid('999123456789'))).not.toThrow();
  });

  it('refuses a send only to a number recently found missing', async () => {
    const { check, advance } = setUp();
    expect(() => check.refuseKnownMissing('s1', toJid('999123456789'))).not.toThrow();
    await check.check('s1', '999123456789');
    await check.check('s1', '5511988887777');
    expect(() => check.refuseKnownMissing('s1', toJid('999123456789'))).toThrow(NumberNotOnWhatsAppError);
    expect(() => check.refuseKnownMissing('s1', toJid('5511988887777'))).not.toThrow();
    advance(1000);
    expect(() => check.refuseKnownMissing('s1', toJid('999123456789'))).not.toThrow();
  });

  it('keeps at most maxEntries answers, forgetting the oldest', async () => {
    const { check, ask } = setUp(1000, 2);
    await check.check('s1', '5511900000001');
    await check.check('s1', '5511900000002');
    await check.check('s1', '5511900000003');
    await check.check('s1', '5511900000001');
    expect(ask).toHaveBeenCalledTimes(4);
  });
});
