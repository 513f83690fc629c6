import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DriverCallbacks, DriverStatus, IncomingWhatsAppMessage } from '../port.js';
import { SendFailedError } from '../port.js';
import { createMemoryLoginStore } from './login-store.js';
import { createSimulatorDriver } from './simulator-driver.js';
import { SimulatedSessionStateError } from './simulator-errors.js';

function recorder() {
  const qr: number[] = [];
  const statuses: DriverStatus[] = [];
  const messages: IncomingWhatsAppMessage[] = [];
  const acks: number[] = [];
  const callbacks: DriverCallbacks = {
    onQrCode: ({ attempt }) => void qr.push(attempt),
    onStatus: (status) => void statuses.push(status),
    onMessage: (message) => void messages.push(message),
    onAck: ({ ack }) => void acks.push(ack),
    onRevoked: () => undefined,
  };
  return { qr, statuses, messages, acks, callbacks, types: () => statuses.map((s) => s.type) };
}

describe('simulator driver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const settings = {
    qrIntervalMs: 20_000,
    maxQrAttempts: 5,
    ackDelaysMs: [100, 200, 300] as [number, number, number],
    reconnectDelayMs: 1000,
  };

  it('issues a QR code at once and a new one every 20 s, then gives up after 5', async () => {
    const simulator = createSimulatorDriver({ settings });
    const seen = recorder();
    await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
    expect(seen.qr).toEqual([1]);
    await vi.advanceTimersByTimeAsync(20_000 * 4);
    expect(seen.qr).toEqual([1, 2, 3, 4, 5]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.statuses.at(-1)).toMatchObject({ type: 'failed', retryable: false });
  });

  it('connects when the QR code is scanned, and restores the login after a restart without a QR code', async () => {
    const logins = createMemoryLoginStore();
    const first = recorder();
    const before = createSimulatorDriver({ settings, logins });
    await before.start({ sessionId: 's1', callbacks: first.callbacks });
    await before.scan('s1');
    expect(first.types()).toEqual(['connecting', 'connected']);
    await before.close();

    const again = recorder();
    const after = createSimulatorDriver({ settings, logins });
    expect(await after.hasSavedLogin('s1')).toBe(true);
    await after.start({ sessionId: 's1', callbacks: again.callbacks });
    await vi.advanceTimersByTimeAsync(0);
    expect(again.statuses).toEqual([
      { type: 'connecting', restoring: true },
      expect.objectContaining({ type: 'connected' }),
    ]);
    expect(again.qr).toEqual([]);
  });

  it('refuses a scan when no QR code is showing', async () => {
    const simulator = createSimulatorDriver({ settings });
    await simulator.start({ sessionId: 's1', callbacks: recorder().callbacks });
    await simulator.scan('s1');
    await expect(simulator.scan('s1')).rejects.toThrow(SimulatedSessionStateError);
  });

  it('delivers text, media and group messages', async () => {
    const simulator = createSimulatorDriver({ settings });
    const seen = recorder();
    await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
    await simulator.scan('s1');
    await simulator.incoming('s1', { from: '5511988887777', body: 'Oi', name: 'João' });
    await simulator.incoming('s1', {
      from: '5511988887777',
      body: '',
      media: { mimetype: 'image/jpeg', caption: 'foto' },
    });
    await simulator.incoming('s1', {
      from: '120363025246125486@g.us',
      author: '5511977776666',
      body: 'Olá grupo',
    });
    expect(seen.messages.map((m) => [m.chatJid, m.from, m.type, m.isGroup])).toEqual([
      ['5511988887777@c.us', '5511988887777@c.us', 'chat', false],
      ['5511988887777@c.us', '5511988887777@c.us', 'image', false],
      ['120363025246125486@g.us', '5511977776666@c.us', 'chat', true],
    ]);
  });

  it('acknowledges a sent message as SERVER, DEVICE then READ and echoes it as an own message', async () => {
    const simulator = createSimulatorDriver({ settings });
    const seen = recorder();
    const session = await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
    await simulator.scan('s1');
    const sent = await session.sendText('5511988887777@c.us', 'Olá');
    expect(sent.ack).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(seen.acks).toEqual([2, 3, 4]);
    expect(seen.messages).toEqual([
      expect.objectContaining({ waMessageId: sent.waMessageId, fromMe: true, body: 'Olá' }),
    ]);
  });

  it('fails sends as planned, transiently or for good', async () => {
    const simulator = createSimulatorDriver({ settings });
    const session = await simulator.start({ sessionId: 's1', callbacks: recorder().callbacks });
    await simulator.scan('s1');
    simulator.failSends('s1', { count: 1, permanent: true });
    await expect(session.sendText('5511988887777@c.us', 'x')).rejects.toMatchObject({
      name: 'SendFailedError',
      permanent: true,
    });
    await expect(session.sendText('5511988887777@c.us', 'x')).resolves.toMatchObject({ ack: 1 });
    await simulator.disconnect('s1', 'offline');
    await expect(session.sendText('5511988887777@c.us', 'x')).rejects.toThrow(SendFailedError);
  });

  it('reconnects a dropped connection by itself; an unlinked phone needs a new QR code', async () => {
    const simulator = createSimulatorDriver({ settings });
    const seen = recorder();
    await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
    await simulator.scan('s1');
    await simulator.disconnect('s1', 'network');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.types().slice(-2)).toEqual(['disconnected', 'connected']);
    await simulator.disconnect('s1', 'unlinked', { unlink: true });
    expect(seen.statuses.at(-1)).toMatchObject({ type: 'disconnected', loggedOut: true });
    expect(seen.qr).toEqual([1, 1]);
    expect(await simulator.hasSavedLogin('s1')).toBe(false);
  });

  it('goes silent when its browser dies', async () => {
    const simulator = createSimulatorDriver({ settings });
    const session = await simulator.start({ sessionId: 's1', callbacks: recorder().callbacks });
    await simulator.scan('s1');
    simulator.kill('s1');
    expect(await session.isAlive()).toBe(false);
  });
});

describe('simulator driver, when its sent log cannot be written for a moment', () => {
  it('answers the send as sent, and logs it once when the log takes writes again', async () => {
    const written: string[] = [];
    let failuresLeft = 3;
    const simulator = createSimulatorDriver({
      settings: { sendDelayMs: 0, ackDelaysMs: [10, 10, 10] },
      sentLog: {
        record: (sent) => {
          // A connection of the log's database cut (a database failover): the first writes fail.
          if (failuresLeft-- > 0) return Promise.reject(new Error('terminating connection'));
          written.push(sent.body);
          return Promise.resolve();
        },
        list: () => Promise.resolve([]),
      },
    });
    const seen = recorder();
    const session = await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
    await simulator.scan('s1');
    await expect(session.sendText('5511988887777@c.us', 'uma vez só')).resolves.toMatchObject({
      waMessageId: expect.any(String),
    });
    await session.sendText('5511988887777@c.us', 'e depois');
    expect(written).toEqual(['uma vez só', 'e depois']);
  });
});

describe('simulator driver, when a write of its sent log is cut', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const quiet: DriverCallbacks = {
    onQrCode: () => undefined,
    onStatus: () => undefined,
    onMessage: () => undefined,
    onAck: () => undefined,
    onRevoked: () => undefined,
  };

  it('writes an entry once when the connection is cut after the insert committed', async () => {
    // The log keeps an entry once by its id, as its table does (migrations/0039).
    const written = new Map<string, string>();
    const ids: string[] = [];
    let cutAfterCommit = true;
    const simulator = createSimulatorDriver({
      settings: { sendDelayMs: 0, ackDelaysMs: [10, 10, 10] },
      sentLog: {
        record: (sent) => {
          ids.push(sent.entryId);
          if (!written.has(sent.entryId)) written.set(sent.entryId, sent.body);
          if (!cutAfterCommit) return Promise.resolve();
          cutAfterCommit = false;
          return Promise.reject(new Error('Connection terminated unexpectedly'));
        },
        list: () => Promise.resolve([]),
      },
    });
    const session = await simulator.start({ sessionId: 's1', callbacks: quiet });
    await simulator.scan('s1');
    const sent = session.sendText('5511988887777@c.us', 'uma vez só');
    await vi.advanceTimersByTimeAsync(1000);
    await sent;
    expect([...written.values()]).toEqual(['uma vez só']);
    // Written twice, under one id of its own.
    expect(ids).toHaveLength(2);
    expect(new Set(ids)).toEqual(new Set([expect.stringMatching(/^[0-9a-f-]{36}$/)]));
  });

  it('keeps a session’s entries in order across a restart of its phone', async () => {
    const written: string[] = [];
    let down = true;
    const simulator = createSimulatorDriver({
      settings: { sendDelayMs: 0, ackDelaysMs: [10, 10, 10] },
      sentLog: {
        record: (sent) => {
          if (down) return Promise.reject(new Error('terminating connection due to administrator command'));
          written.push(sent.body);
          return Promise.resolve();
        },
        list: () => Promise.resolve([]),
      },
    });
    const first = await simulator.start({ sessionId: 's1', callbacks: quiet });
    await simulator.scan('s1');
    const sent = first.sendText('5511988887777@c.us', 'primeira');
    await vi.advanceTimersByTimeAsync(6000);
    await sent;
    down = false;
    const second = await simulator.start({ sessionId: 's1', callbacks: quiet });
    await vi.advanceTimersByTimeAsync(10);
    const again = second.sendText('5511988887777@c.us', 'segunda');
    await vi.advanceTimersByTimeAsync(10_000);
    await again;
    expect(written).toEqual(['primeira', 'segunda']);
  });
});
