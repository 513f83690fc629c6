import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { createMemoryLoginStore, type LoginStore } from '../adapters/whatsapp/simulator/login-store.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import { sessionStreamName } from '../domain/session/session-stream.js';
import { SessionRunsElsewhereError } from './session-leases.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';

const bed = useSupervisorTestBed();
const { user, fast, supervise, registeredSession, sessionTypes, connected } = bed;

describe('session supervisor on the simulator', () => {
  it('starts a session, answers with its QR code, and connects when it is scanned', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await registeredSession();
    const view = await supervisor.start(sessionId, user);
    expect(view.status).toBe('qr');
    expect(view.qrCode).toMatch(/^2@/);
    await simulator.scan(sessionId);
    await eventually(() => supervisor.view(sessionId)?.status === 'connected');
    await eventually(async () => (await sessionTypes(sessionId)).at(-1) === 'SessionConnected');
    expect(await sessionTypes(sessionId)).toEqual([
      'SessionRegistered',
      'SessionStartRequested',
      'SessionConnecting',
      'QrCodeIssued',
      'SessionConnected',
    ]);
    const [requested] = (await bed.store.readStream(sessionStreamName(sessionId))).filter(
      (e) => e.type === 'SessionStartRequested',
    );
    expect(requested!.metadata).toMatchObject({
      actor: { type: 'user', id: 'admin-1' },
      correlationId: 'req-1',
    });
  });

  it('answers a second start with the current state without starting another driver', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    expect(await supervisor.start(sessionId, user)).toEqual({ status: 'connected', qrCode: null });
    expect((await sessionTypes(sessionId)).filter((t) => t === 'SessionConnecting')).toHaveLength(1);
  });

  it('rotates QR codes that expire 60 s after issue, and gives up after 5 like WhatsApp', async () => {
    const simulator = createSimulatorDriver({ settings: { ...fast, qrIntervalMs: 30 } });
    const supervisor = supervise(simulator);
    const sessionId = await registeredSession();
    await supervisor.start(sessionId, user);
    await eventually(async () => (await sessionTypes(sessionId)).includes('SessionFailed'));
    const events = await bed.store.readStream(sessionStreamName(sessionId));
    const qrs = events.filter((e) => e.type === 'QrCodeIssued');
    expect(qrs.map((e) => e.data.attempt)).toEqual([1, 2, 3, 4, 5]);
    for (const qr of qrs) {
      expect(Date.parse(qr.data.expiresAt as string) - Date.parse(qr.data.issuedAt as string)).toBe(60_000);
    }
    expect(events.at(-1)).toMatchObject({ type: 'SessionFailed', data: { retryable: false } });
  });

  it('restores connected sessions after a restart of the process, without a QR code', async () => {
    const logins: LoginStore = createMemoryLoginStore();
    const first = createSimulatorDriver({ settings: fast, logins });
    const before = supervise(first);
    const sessionId = await connected(first, before);
    await before.shutdown();
    await bed.runner.waitUntilCaughtUp();

    const after = supervise(createSimulatorDriver({ settings: fast, logins }));
    expect(await after.restoreAll()).toBeGreaterThanOrEqual(1);
    await eventually(() => after.view(sessionId)?.status === 'connected');
    const history = await eventually(async () => {
      const types = await sessionTypes(sessionId);
      return types.at(-1) === 'SessionConnected' && types;
    });
    const sinceRestart = history.slice(history.lastIndexOf('SessionStopped') + 1);
    expect(sinceRestart).toEqual(['SessionConnecting', 'SessionConnected']);
  });

  it('marks a session dead after three missed heartbeats and restarts it', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    await supervisor.probe();
    simulator.kill(sessionId);
    for (let beat = 0; beat < 3; beat++) await supervisor.probe();
    await eventually(async () => (await sessionTypes(sessionId)).includes('SessionMarkedDead'));
    await eventually(async () => (await sessionTypes(sessionId)).at(-1) === 'SessionConnected');
    const dead = (await bed.store.readStream(sessionStreamName(sessionId))).find(
      (e) => e.type === 'SessionMarkedDead',
    );
    expect(dead!.data).toMatchObject({ reason: 'missed 3 heartbeats' });
    expect(dead!.data.lastHeartbeatAt).not.toBeNull();
  });

  it('stops a session: closes the driver and records the stop', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    await supervisor.stop(sessionId, user);
    expect(simulator.isRunning(sessionId)).toBe(false);
    expect((await sessionTypes(sessionId)).slice(-2)).toEqual(['SessionStopRequested', 'SessionStopped']);
  });

  it('logs an unlinked phone and shows a new QR code; a dropped connection comes back by itself', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    await simulator.disconnect(sessionId, 'network lost');
    await eventually(async () => {
      // One read: two could see the first connection last, then the disconnect after it.
      const types = await sessionTypes(sessionId);
      return types.at(-1) === 'SessionConnected' && types.includes('SessionDisconnected');
    });
    await simulator.disconnect(sessionId, 'unlinked from the phone', { unlink: true });
    await eventually(async () => (await sessionTypes(sessionId)).at(-1) === 'QrCodeIssued');
    const disconnects = (await bed.store.readStream(sessionStreamName(sessionId))).filter(
      (e) => e.type === 'SessionDisconnected',
    );
    expect(disconnects.map((e) => e.data)).toEqual([
      { reason: 'network lost', loggedOut: false },
      { reason: 'unlinked from the phone', loggedOut: true },
    ]);
  });

  it('runs each session in one process only: another restores it only once the first lets go', async () => {
    const logins = createMemoryLoginStore();
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const first = createSimulatorDriver({ settings: fast, logins });
    const a = supervise(first, { leases, owner: 'gateway-a' });
    const b = supervise(createSimulatorDriver({ settings: fast, logins }), { leases, owner: 'gateway-b' });
    const sessionId = await connected(first, a);
    await bed.runner.waitUntilCaughtUp();

    await b.restoreAll();
    expect(b.runningSessionIds()).not.toContain(sessionId);
    await expect(b.start(sessionId, user)).rejects.toThrow(SessionRunsElsewhereError);

    await a.shutdown();
    await bed.runner.waitUntilCaughtUp();
    await b.restoreAll();
    await eventually(() => b.view(sessionId)?.status === 'connected');
  });

  it('never runs two heartbeats at once, however slow one is', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    let running = 0;
    let most = 0;
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const slowLeases = {
      ...leases,
      async renew(sessionIds: string[], owner: string, ttlMs: number) {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running--;
        return leases.renew(sessionIds, owner, ttlMs);
      },
    };
    const supervisor = supervise(simulator, { leases: slowLeases, heartbeatIntervalMs: 100 });
    await connected(simulator, supervisor);
    supervisor.startHeartbeat();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(most).toBe(1);
  });

  it('renews all of a process’s leases at once, names those another process holds, and tells the spread', async () => {
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const [mine, theirs, fresh] = [
      await registeredSession(),
      await registeredSession(),
      await registeredSession(),
    ];
    expect(await leases.acquire(mine, 'gateway-a', 60_000)).toBe(true);
    expect(await leases.acquire(theirs, 'gateway-b', 60_000)).toBe(true);
    expect(await leases.join('gateway-b', 60_000)).toBe(1);
    // A process that crashed on another host two days ago: forgotten by the next renewal.
    await sql`insert into gateway_members (owner, expires_at) values ('gone', now() - interval '2 days')`.execute(
      bed.database.db,
    );
    expect(await leases.renew([mine, theirs, fresh], 'gateway-a', 60_000)).toEqual({
      lost: [theirs],
      members: 2,
      least: 1,
      leastOwner: 'gateway-b',
    });
    const { rows: gone } = await sql`select 1 from gateway_members where owner = 'gone'`.execute(
      bed.database.db,
    );
    expect(gone).toHaveLength(0);
    expect(await leases.acquire(fresh, 'gateway-b', 60_000)).toBe(false);
  });
});
