import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { createProjectionRunner } from './projection-runner.js';
import { rebuildProjections } from './rebuild.js';

const worker = fileURLToPath(new URL('../../test-support/projection-crash-worker.ts', import.meta.url));

describe('projections killed in the middle of a batch', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'crash');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
    for (const company of ['acme', 'globex', 'initech']) await writeRealisticHistory(store, company);
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('restart to exactly the rows of one uninterrupted run', async () => {
    const total = (await store.readAll({ maxCount: 10_000 })).length;
    await runUntilKilledMidBatch(testDb.url!, 157);
    const db = readModelDb(testDb.database.db);
    const afterCrash = await db
      .selectFrom('projection_checkpoints')
      .select(['name', 'events_applied'])
      .execute();
    expect(afterCrash.some((p) => Number(p.events_applied) > 0 && Number(p.events_applied) < total)).toBe(
      true,
    );

    const runner = createProjectionRunner({ db, store, projectors: allProjectors });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
    const restarted = await dumpReadModels(db);

    await rebuildProjections({ db, store, projectors: allProjectors });
    expect(restarted).toEqual(await dumpReadModels(db));
  });
});

async function runUntilKilledMidBatch(databaseUrl: string, crashAfter: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CRASH_AFTER: String(crashAfter) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'CRASH_POINT') break;
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}
