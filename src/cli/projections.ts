import { readModelDb } from '../adapters/db/read-model-db.js';
import { allProjectors } from '../projections/all-projectors.js';
import { createProjectionRunner } from '../projections/projection-runner.js';
import { lagCap } from '../projections/projection-states.js';
import { openCliServices } from './open-cli-services.js';
import { runCli } from './run-cli.js';

runCli(async () => {
  const { database, store, close } = await openCliServices();
  try {
    const runner = createProjectionRunner({ db: readModelDb(database.db), store, projectors: allProjectors });
    const rows = (await runner.status()).map((s) => ({
      projection: s.name,
      state: s.state,
      'events applied': s.eventsApplied,
      lag: s.lag >= lagCap ? `≥${lagCap}` : s.lag,
      checkpoint: s.checkpoint ?? '(start)',
      'last error': s.lastError ?? '',
    }));
    console.table(rows);
  } finally {
    await close();
  }
});
