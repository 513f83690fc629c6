import { describe, expect, it, vi } from 'vitest';
import { useFakeWppconnect } from './fake-wppconnect.js';

describe('WPPConnect driver: a connection that does not come back', () => {
  const { setUp } = useFakeWppconnect();

  async function connected(reconnectWatchdogMs: number) {
    const setup = setUp('resolve', 5000, 5000, { reconnectWatchdogMs });
    setup.wpp.release();
    const session = await setup.start();
    setup.wpp.statusFind('inChat');
    await vi.waitFor(() => expect(setup.seen.statuses.at(-1)?.type).toBe('connected'));
    return { ...setup, session };
  }

  it('fails retryably, closing the browser, when the socket stays in TIMEOUT/OPENING too long', async () => {
    const { wpp, seen, chromium } = await connected(60);
    wpp.client.play('state', 'TIMEOUT');
    wpp.client.play('state', 'OPENING');
    expect(seen.statuses.at(-1)).toMatchObject({ type: 'disconnected', willReconnect: true });
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('failed'));
    expect(seen.statuses.at(-1)).toEqual({
      type: 'failed',
      reason:
        'WhatsApp Web did not reconnect within 60 ms (WhatsApp Web lost its connection (TIMEOUT) and is reconnecting); restarting it',
      retryable: true,
    });
    await vi.waitFor(() => expect(chromium.browser.close).toHaveBeenCalled());
  });

  it('leaves a session alone that reconnects in time', async () => {
    const { wpp, seen, session } = await connected(60);
    wpp.client.play('state', 'TIMEOUT');
    wpp.client.play('state', 'CONNECTED');
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('connected'));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen.statuses.some((status) => status.type === 'failed')).toBe(false);
    await session.stop();
  });
});
