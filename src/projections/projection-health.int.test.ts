import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { inlineProjection } from './inline-projection.js';
import { projectionLag } from './projection-lag.js';
import { createProjectionRunner } from './projection-runner.js';

describe('the health of inline projections (PostgreSQL)', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'projection-health');
    const project = inlineProjection(allProjectors);
    store = createPostgresEventStore(testDb.database, {
      hooks: { withinTransaction: (trx, events) => project(readModelDb(trx), events) },
    });
    await writeRealisticHistory(store, 'acme');
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('shows them caught up, with no lag, even when an append commits while the health is read', async () => {
    // The append lands between the start of the health check and its reading of the head.
    const appendingWhileAsked: EventStore = {
      ...store,
      async headCheckpoint(prefixes) {
        await writeRealisticHistory(store, 'globex');
        return store.headCheckpoint(prefixes);
      },
    };
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store: appendingWhileAsked,
      projectors: allProjectors,
      inline: true,
    });
    const health = await runner.health();
    expect(health.map((p) => [p.name, p.state, p.caughtUp])).toEqual(
      allProjectors.map((p) => [p.name, 'inline', true]),
    );
    expect(await projectionLag(runner, store)).toEqual(
      allProjectors.map((p) => ({ projection: p.name, lag: 0 })),
    );
  });
});
