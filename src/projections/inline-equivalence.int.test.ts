import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { writeErasedContactHistory } from '../../test-support/erase-chat.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { inlineProjection } from './inline-projection.js';
import { createProjectionRunner } from './projection-runner.js';
import { rebuildProjections } from './rebuild.js';

describe.each(databaseKinds)('inline projections on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'inline');
    const project = inlineProjection(allProjectors);
    store = createPostgresEventStore(testDb.database, {
      hooks: { withinTransaction: (trx, events) => project(readModelDb(trx), events) },
    });
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('leave exactly the rows a rebuild gives, with no lag for the runner to catch up', async () => {
    const db = readModelDb(testDb.database.db);
    // Writers side by side, so that appends meet in group commits of several streams.
    for (const company of ['acme', 'globex'])
      await Promise.all([
        writeRealisticHistory(store, company),
        writeRealisticHistory(store, company, randomUUID()),
      ]);
    await writeErasedContactHistory(store);
    expect(await erasedMessages(db)).toBeGreaterThan(0);
    const inline = await dumpReadModels(db);
    expect(inline.Messages!.length).toBeGreaterThan(0);

    const runner = createProjectionRunner({ db, store, projectors: allProjectors });
    expect((await runner.status()).map((status) => status.lag)).toEqual(allProjectors.map(() => 0));

    await rebuildProjections({ db, store, projectors: allProjectors });
    expect(await dumpReadModels(db)).toEqual(inline);
  });
});

async function erasedMessages(db: Kysely<ReadModelSchema>): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from "Messages"
    where "Erased" and "Body" is null`.execute(db);
  return rows[0]!.count;
}
