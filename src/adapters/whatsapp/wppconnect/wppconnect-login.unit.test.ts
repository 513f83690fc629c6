import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakeWppconnect } from './fake-wppconnect.js';

describe('WPPConnect driver: logging in, as host.layer.js really reports it', () => {
  const { started, setUp } = useFakeWppconnect();
  afterEach(() => vi.useRealTimers());

  it('is still connecting when the login exists but WhatsApp Web has not synced with the phone', async () => {
    const { wpp, seen, session } = await started();
    wpp.statusFind('isLogged');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.statuses.map((status) => status.type)).toEqual(['connecting', 'connecting']);
    expect(seen.statuses.at(-1)).toEqual({ type: 'connecting', restoring: true });
    wpp.statusFind('inChat');
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('connected'));
    await session.stop();
  });

  it('never reports connected, and fails once, retryably, when the phone does not sync', async () => {
    const { wpp, seen, chromium } = await started();
    wpp.statusFind('isLogged');
    wpp.statusFind('phoneNotConnected');
    wpp.statusFind('autocloseCalled');
    await vi.waitFor(() => expect(chromium.browser.close).toHaveBeenCalled());
    expect(seen.statuses.some((status) => status.type === 'connected')).toBe(false);
    expect(seen.statuses.filter((status) => status.type === 'failed')).toEqual([
      {
        type: 'failed',
        reason: 'WhatsApp Web could not sync with the phone (is it online?)',
        retryable: true,
      },
    ]);
  });

  it('fails retryably, for a new round of QR codes, when the QR login is not confirmed', async () => {
    const { wpp, seen } = await started();
    wpp.statusFind('notLogged');
    wpp.statusFind('qrReadFail');
    wpp.statusFind('autocloseCalled');
    expect(seen.statuses.filter((status) => status.type === 'failed')).toEqual([
      { type: 'failed', reason: 'the QR code login could not be confirmed; starting again', retryable: true },
    ]);
  });

  it('watches for a new login about 2 s after the phone unlinked the device, not at once', async () => {
    const { wpp, seen, start } = setUp();
    wpp.client.waitForLogin.mockResolvedValue(true);
    wpp.release();
    const session = await start();
    wpp.statusFind('inChat');
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('connected'));
    await vi.waitFor(() => expect(wpp.client.waitForLogin).toHaveBeenCalledTimes(1));
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    wpp.client.play('state', 'UNPAIRED');
    expect(seen.statuses.at(-1)).toMatchObject({ type: 'disconnected', loggedOut: true });
    vi.advanceTimersByTime(1900);
    expect(wpp.client.waitForLogin).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(200);
    expect(wpp.client.waitForLogin).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
    await session.stop();
  });
});
