import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { inlineProjection } from './inline-projection.js';
import { rebuildProjections } from './rebuild.js';

describe('a rebuild while a long transaction runs elsewhere on the server', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'rebuildwait');
    const project = inlineProjection(allProjectors);
    store = createPostgresEventStore(testDb.database, {
      hooks: { withinTransaction: (trx, events) => project(readModelDb(trx), events) },
    });
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('waits for it to end instead of giving up', async () => {
    const db = readModelDb(testDb.database.db);
    await writeRealisticHistory(store, 'acme');
    // A transaction that holds an id from before the last writes: until it ends, the settled read stops short
    // of them, while the inline projections already show them.
    const other = new pg.Client({ connectionString: testDb.url });
    other.on('error', () => undefined);
    await other.connect();
    await other.query('begin');
    await other.query('select txid_current()');
    await writeRealisticHistory(store, 'globex', randomUUID());
    const inline = await dumpReadModels(db);
    const ended = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => {
      await other.query('commit');
      await other.end();
    });
    await rebuildProjections({ db, store, projectors: allProjectors });
    await ended;
    expect(await dumpReadModels(db)).toEqual(inline);
  });
});
