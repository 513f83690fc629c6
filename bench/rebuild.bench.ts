import { readModelDb } from '../src/adapters/db/read-model-db.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from '../src/projections/all-projectors.js';
import { rebuildProjections } from '../src/projections/rebuild.js';
import { openMigratedTestDatabase } from '../test-support/test-databases.js';
import type { BenchResult } from './support/bench-result.js';
import { rawInsertRowsPerSecond } from './support/raw-insert.js';
import { writeSyntheticHistory } from './support/synthetic-history.js';

/** Replays `events` stored events into all five read models, on a PostgreSQL server. */
export async function rebuildBench(
  events = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000),
): Promise<BenchResult> {
  const testDb = await openMigratedTestDatabase('postgres', 'bench_rebuild');
  const store = createPostgresEventStore(testDb.database);
  try {
    const seeded = Date.now();
    const written = await writeSyntheticHistory(store, events);
    console.log(`  seeded ${written} events in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const result = await rebuildProjections({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
    const raw = await rawInsertRowsPerSecond(testDb.url!);
    return {
      name: 'rebuild',
      events: result.events,
      eventsPerSecond: result.eventsPerSecond,
      durationMs: Math.round(result.durationMs),
      rawInsertRowsPerSecond: raw,
      ratio: Math.round((result.eventsPerSecond / raw) * 1000) / 1000,
    };
  } finally {
    await store.close();
    await testDb.dispose();
  }
}
