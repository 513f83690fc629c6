import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore, Subscription } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { createProjectionRunner } from './projection-runner.js';

describe('a projection runner whose subscription or process changes under it', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'resilience');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('subscribes again when its subscription ends, and no projection stops for it', async () => {
    let endFirst: (error: Error) => void = () => undefined;
    let subscriptions = 0;
    // The first subscription ends as one to a restarting EventStoreDB would.
    const flaky: EventStore = {
      ...store,
      subscribe(options) {
        const real = store.subscribe(options);
        if (subscriptions++ > 0) return real;
        const ended = new Promise<never>((_, reject) => {
          endFirst = (error) => {
            reject(error);
            void real.stop();
          };
        });
        ended.catch(() => undefined);
        return { done: Promise.race([real.done, ended]), stop: () => real.stop() } satisfies Subscription;
      },
    };
    const db = readModelDb(testDb.database.db);
    const runner = createProjectionRunner({ db, store: flaky, projectors: allProjectors, singleton: true });
    await runner.start();
    await writeRealisticHistory(store, 'acme');
    expect(await runner.waitUntilCaughtUp(10_000)).toBe(true);

    endFirst(new Error('connection to the store lost'));
    await writeRealisticHistory(store, 'globex');
    expect(await runner.waitUntilCaughtUp(10_000)).toBe(true);
    expect(subscriptions).toBe(2);
    expect((await runner.health()).map((p) => p.state)).toEqual(allProjectors.map(() => 'running'));
    await runner.stop();
  });

  it('does not count a wait as reached when it stops running here in the middle of it', async () => {
    const db = readModelDb(testDb.database.db);
    const runner = createProjectionRunner({ db, store, projectors: allProjectors, singleton: true });
    await runner.start();
    await runner.waitUntilCaughtUp(10_000);
    const beyond = '999999999999:999999999999';
    const waiting = runner.waitFor(beyond, 1500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runner.stop();
    expect(await waiting).toBe(false);
    expect((await runner.health()).map((p) => p.state)).toEqual(allProjectors.map(() => 'elsewhere'));
  });
});
