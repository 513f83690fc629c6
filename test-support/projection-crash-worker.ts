// Runs the projections against DATABASE_URL and freezes in the middle of a batch once CRASH_AFTER events were
// applied, printing CRASH_POINT, so that the test can kill the process while a transaction is open.
import { openPostgresDatabase } from '../src/adapters/db/postgres-database.js';
import { readModelDb } from '../src/adapters/db/read-model-db.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from '../src/projections/all-projectors.js';
import { createProjectionRunner } from '../src/projections/projection-runner.js';
import type { Projector } from '../src/projections/projector.js';

const crashAfter = Number(process.env.CRASH_AFTER);
const database = openPostgresDatabase(process.env.DATABASE_URL!);
const store = createPostgresEventStore(database);
let applied = 0;

const freezeOnceReached = async (count: number) => {
  const before = applied;
  applied += count;
  if (before < crashAfter && applied >= crashAfter) {
    process.stdout.write('CRASH_POINT\n');
    await new Promise(() => undefined);
  }
};

const freezing = (projector: Projector): Projector => ({
  ...projector,
  async project(db, events) {
    await projector.project(db, events);
    await freezeOnceReached(events.length);
  },
});

const runner = createProjectionRunner({
  db: readModelDb(database.db),
  store,
  projectors: allProjectors.map(freezing),
  maxBatchSize: 20,
});
await runner.start();
