import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { readModelDb } from '../src/adapters/db/read-model-db.js';
import type { EventStore } from '../src/adapters/event-store/port.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import type { WhatsAppDriver } from '../src/adapters/whatsapp/port.js';
import type { SimulatorDriver } from '../src/adapters/whatsapp/simulator/simulator-driver.js';
import type { SimulatorSettings } from '../src/adapters/whatsapp/simulator/simulator-settings.js';
import { createCommandHandler } from '../src/app/command-handler.js';
import { createSessionSupervisor, type SessionSupervisor } from '../src/app/session-supervisor.js';
import { sessionStream, sessionStreamName } from '../src/domain/session/session-stream.js';
import { silentLogger } from '../src/logger.js';
import { allProjectors } from '../src/projections/all-projectors.js';
import { createProjectionRunner, type ProjectionRunner } from '../src/projections/projection-runner.js';
import { recordHeartbeats, sessionsToRestore } from '../src/projections/sessions/session-supervision.js';
import { eventually } from './eventually.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from './test-databases.js';

/**
 * Supervisors on the simulator against a fresh database with the projections running; each case's supervisors
 * are shut down after it. Call at the top of a test file.
 */
export function useSupervisorTestBed() {
  let testDb: MigratedTestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;
  const supervisors: SessionSupervisor[] = [];
  const company = 'acme';
  const user = {
    companyId: company,
    actor: { type: 'user' as const, id: 'admin-1' },
    correlationId: 'req-1',
  };
  const fast: Partial<SimulatorSettings> = {
    qrIntervalMs: 60_000,
    ackDelaysMs: [5, 10, 15],
    reconnectDelayMs: 20,
  };

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'supervisor');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
    runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
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

  return {
    get store() {
      return store;
    },
    get runner() {
      return runner;
    },
    get database() {
      return testDb.database;
    },
    company,
    user,
    fast,
    supervise,
    registeredSession,
    types,
    sessionTypes,
    connected,
  };
}
