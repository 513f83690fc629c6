import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import type { WhatsAppDriver } from '../adapters/whatsapp/port.js';
import { createMemoryLoginStore, type LoginStore } from '../adapters/whatsapp/simulator/login-store.js';
import {
  createSimulatorDriver,
  type SimulatorDriver,
} from '../adapters/whatsapp/simulator/simulator-driver.js';
import type { SimulatorSettings } from '../adapters/whatsapp/simulator/simulator-settings.js';
import { sessionStream, sessionStreamName } from '../domain/session/session-stream.js';
import { silentLogger } from '../logger.js';
import { allProjectors } from '../projections/all-projectors.js';
import { createProjectionRunner, type ProjectionRunner } from '../projections/projection-runner.js';
import { recordHeartbeats, sessionsToRestore } from '../projections/queries/session-supervision.js';
import { createCommandHandler } from './command-handler.js';
import { SessionRunsElsewhereError } from './session-leases.js';
import { createSessionSupervisor, type SessionSupervisor } from './session-supervisor.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';

let testDb: MigratedTestDatabase;
let store: EventStore;
let runner: ProjectionRunner;
const supervisors: SessionSupervisor[] = [];
const company = 'acme';
const user = { companyId: company, actor: { type: 'user' as const, id: 'admin-1' }, correlationId: 'req-1' };
const fast: Partial<SimulatorSettings> = {
  qrIntervalMs: 60_000,
  ackDelaysMs: [5, 10, 15],
  reconnectDelayMs: 20,
};

beforeAll(async () => {
  testDb = await openMigratedTestDatabase('postgres', 'supervisor');
  store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  runner = createProjectionRunner({ db: readModelDb(testDb.database.db), store, projectors: allProjectors });
  await runner.start();
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.shutdown()));
});

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await testDb?.dispose();
});

function supervise(
  driver: WhatsAppDriver,
  extra: Partial<Parameters<typeof createSessionSupervisor>[0]> = {},
) {
  const db = readModelDb(testDb.database.db);
  const supervisor = createSessionSupervisor({
    handle: createCommandHandler(store, { maxAttempts: 20 }),
    driver,
    sessionsToRestore: () => sessionsToRestore(db),
    recordHeartbeats: (ids, at) => recordHeartbeats(db, ids, at),
    logger: silentLogger,
    startWaitMs: 5000,
    restartInitialMs: 10,
    ...extra,
  });
  supervisors.push(supervisor);
  return supervisor;
}

async function registeredSession(): Promise<string> {
  const sessionId = randomUUID();
  await createCommandHandler(store)(
    sessionStream,
    sessionStreamName(sessionId),
    {
      type: 'RegisterSession',
      sessionId,
      companyId: company,
      name: 'Atendimento',
      phoneNumber: null,
      tokenHash: null,
    },
    { ...user, sessionId, causationId: null },
  );
  return sessionId;
}

const types = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);
const sessionTypes = (sessionId: string) => types(sessionStreamName(sessionId));

async function connected(simulator: SimulatorDriver, supervisor: SessionSupervisor): Promise<string> {
  const sessionId = await registeredSession();
  await supervisor.start(sessionId, user);
  await simulator.scan(sessionId);
  await eventually(async () => (await sessionTypes(sessionId)).includes('SessionConnected'));
  return sessionId;
}

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
    const [requested] = (await store.readStream(sessionStreamName(sessionId))).filter(
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
    const events = await store.readStream(sessionStreamName(sessionId));
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
    await runner.waitUntilCaughtUp();

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
    const dead = (await store.readStream(sessionStreamName(sessionId))).find(
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
    const disconnects = (await store.readStream(sessionStreamName(sessionId))).filter(
      (e) => e.type === 'SessionDisconnected',
    );
    expect(disconnects.map((e) => e.data)).toEqual([
      { reason: 'network lost', loggedOut: false },
      { reason: 'unlinked from the phone', loggedOut: true },
    ]);
  });

  it('records incoming messages of every kind, once even when WhatsApp reports them twice', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(reportingTwice(simulator));
    const sessionId = await connected(simulator, supervisor);
    simulator.incoming(sessionId, { from: '5511988887777', body: 'Oi', name: 'João' });
    simulator.incoming(sessionId, {
      from: '5511988887777',
      body: '',
      media: { mimetype: 'application/pdf', fileName: 'boleto.pdf', size: 1024 },
    });
    simulator.incoming(sessionId, {
      from: '120363025246125486@g.us',
      author: '5511977776666',
      body: 'Bom dia grupo',
      name: 'Maria',
    });
    const individual = await eventually(async () => {
      const events = await store.readStream(`chat-${sessionId}_5511988887777@c.us`);
      return events.length >= 2 && events;
    });
    const group = await eventually(async () => {
      const events = await store.readStream(`chat-${sessionId}_120363025246125486@g.us`);
      return events.length >= 1 && events;
    });
    await supervisor.shutdown();
    expect(await store.readStream(`chat-${sessionId}_5511988887777@c.us`)).toHaveLength(2);
    expect(individual.map((e) => [e.type, e.data.type, e.data.body])).toEqual([
      ['MessageReceived', 'chat', 'Oi'],
      ['MessageReceived', 'application', ''],
    ]);
    expect(individual[1]!.data.media).toMatchObject({
      mimetype: 'application/pdf',
      fileName: 'boleto.pdf',
      size: 1024,
      location: null,
    });
    expect(group).toHaveLength(1);
    expect(group[0]!.data).toMatchObject({
      isGroup: true,
      from: '5511977776666@c.us',
      senderPhone: '5511977776666',
      senderName: 'Maria',
    });
    expect(group[0]!.metadata).toMatchObject({ actor: { type: 'whatsapp', id: sessionId } });
  });

  it('ends at the highest delivery status when acks arrive out of order', async () => {
    const simulator = createSimulatorDriver({ settings: { ...fast, ackDelaysMs: [40, 20, 5] } });
    const reported: number[] = [];
    const supervisor = supervise(countingAcks(simulator, reported));
    const sessionId = await connected(simulator, supervisor);
    const sent = await supervisor.driverSession(sessionId)!.sendText('5511988887777@c.us', 'Olá');
    await eventually(() => reported.length === 3);
    await supervisor.shutdown();
    expect(reported).toEqual([4, 3, 2]);
    const acks = (await store.readStream(`chat-${sessionId}_5511988887777@c.us`)).filter(
      (e) => e.type === 'MessageAckChanged',
    );
    expect(acks.map((e) => [e.data.waMessageId, e.data.ack])).toEqual([[sent.waMessageId, 4]]);
  });

  it('runs each session in one process only: another restores it only once the first lets go', async () => {
    const logins = createMemoryLoginStore();
    const leases = createPostgresSessionLeases(readModelDb(testDb.database.db));
    const first = createSimulatorDriver({ settings: fast, logins });
    const a = supervise(first, { leases, owner: 'gateway-a' });
    const b = supervise(createSimulatorDriver({ settings: fast, logins }), { leases, owner: 'gateway-b' });
    const sessionId = await connected(first, a);
    await runner.waitUntilCaughtUp();

    await b.restoreAll();
    expect(b.runningSessionIds()).not.toContain(sessionId);
    await expect(b.start(sessionId, user)).rejects.toThrow(SessionRunsElsewhereError);

    await a.shutdown();
    await runner.waitUntilCaughtUp();
    await b.restoreAll();
    await eventually(() => b.view(sessionId)?.status === 'connected');
  });
});

/** A driver that notes each ack it reports. */
function countingAcks(driver: WhatsAppDriver, reported: number[]): WhatsAppDriver {
  return {
    ...driver,
    start: ({ sessionId, callbacks }) =>
      driver.start({
        sessionId,
        callbacks: { ...callbacks, onAck: (ack) => (reported.push(ack.ack), callbacks.onAck(ack)) },
      }),
  };
}

/** A driver whose every WhatsApp callback is delivered twice, as WhatsApp Web sometimes does. */
function reportingTwice(driver: WhatsAppDriver): WhatsAppDriver {
  return {
    ...driver,
    start: ({ sessionId, callbacks }) =>
      driver.start({
        sessionId,
        callbacks: {
          ...callbacks,
          onMessage: (message) => (callbacks.onMessage(message), callbacks.onMessage(message)),
          onAck: (ack) => (callbacks.onAck(ack), callbacks.onAck(ack)),
        },
      }),
  };
}
