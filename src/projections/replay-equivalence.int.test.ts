import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { oneEventAtATime } from '../../test-support/projector-variants.js';
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
import { allProjectors, projectorsNamed } from './all-projectors.js';
import { createProjectionRunner } from './projection-runner.js';
import type { Projector } from './projector.js';
import { rebuildProjections } from './rebuild.js';

describe.each(databaseKinds)('replaying history on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'replay');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('rebuilds exactly the rows the live projections built', async () => {
    const db = readModelDb(testDb.database.db);
    const runner = createProjectionRunner({ db, store, projectors: allProjectors, maxBatchSize: 7 });
    await runner.start();
    for (const company of ['acme', 'globex']) {
      await Promise.all([
        writeRealisticHistory(store, company),
        writeRealisticHistory(store, company, randomUUID()),
      ]);
    }
    await writeErasedContactHistory(store);
    await runner.waitUntilCaughtUp();
    expect(await erasedMessages(db)).toBeGreaterThan(0);
    // What João wrote in the group before his erasure is erased with his chat, his number too; what he wrote
    // after stays.
    const { rows: inGroup } = await sql<{
      Wa_Message_Id: string;
      Sender: string;
      Body: string | null;
      Erased: boolean;
    }>`
      select "Wa_Message_Id", "Sender", "Body", "Erased" from "Messages"
      where "Company_Id" = 'initech' and "Wa_Message_Id" in ('in-group-joao', 'in-group-joao-after')
      order by "Wa_Message_Id"`.execute(db);
    expect(inGroup).toEqual([
      { Wa_Message_Id: 'in-group-joao', Sender: '', Body: null, Erased: true },
      {
        Wa_Message_Id: 'in-group-joao-after',
        Sender: '5511988887777@c.us',
        Body: 'Voltei ao grupo',
        Erased: false,
      },
    ]);
    await runner.stop();
    const live = await dumpReadModels(db);
    expect(live.Messages!.length).toBeGreaterThan(0);

    const result = await rebuildProjections({ db, store, projectors: allProjectors });
    expect(result.events).toBe((await store.readAll({ maxCount: 100_000 })).length);
    expect(await dumpReadModels(db)).toEqual(live);
  });

  it('writes a batch at once to exactly the rows that projecting its events one by one leaves', async () => {
    const db = readModelDb(testDb.database.db);
    // A batch that fails falls back to one by one, so failures are caught here to see that batches do work.
    const batchFailures: unknown[] = [];
    const watched = allProjectors.map((projector): Projector => ({
      ...projector,
      project: (target, events) =>
        projector.project(target, events).catch((error: unknown) => {
          batchFailures.push(error);
          throw error;
        }),
    }));
    await rebuildProjections({ db, store, projectors: watched });
    expect(batchFailures).toEqual([]);
    const batched = await dumpReadModels(db);
    const oneByOne = oneEventAtATime(allProjectors);
    await rebuildProjections({ db, store, projectors: oneByOne });
    expect(await dumpReadModels(db)).toEqual(batched);
  });

  it('rebuilds one projection alone and leaves the others untouched', async () => {
    const db = readModelDb(testDb.database.db);
    const before = await dumpReadModels(db);
    await rebuildProjections({ db, store, projectors: projectorsNamed(['messages']) });
    expect(await dumpReadModels(db)).toEqual(before);
  });

  it('reports no lag once caught up, and the events each projection applied', async () => {
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
    const status = await runner.status();
    expect(status.map((s) => [s.name, s.lag, s.lastError])).toEqual(
      allProjectors.map((p) => [p.name, 0, null]),
    );
    expect(status.every((s) => s.eventsApplied > 0)).toBe(true);
  });
});

async function erasedMessages(db: Kysely<ReadModelSchema>): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from "Messages"
    where "Erased" and "Body" is null`.execute(db);
  return rows[0]!.count;
}
