import { readModelDb } from '../adapters/db/read-model-db.js';
import { projectorsNamed } from '../projections/all-projectors.js';
import { rebuildProjections } from '../projections/rebuild.js';
import { cliArgs } from './cli-args.js';
import { openCliServices } from './open-cli-services.js';
import { runCli } from './run-cli.js';

runCli(async () => {
  const args = cliArgs(
    { projection: { type: 'string', multiple: true } },
    'npm run rebuild [-- --projection <name> …]',
  );
  const projectors = projectorsNamed(args.projection);
  const { database, store, close } = await openCliServices();
  try {
    console.log(`Rebuilding ${projectors.map((p) => p.name).join(', ')} from the start of history…`);
    let last = 0;
    const result = await rebuildProjections({
      db: readModelDb(database.db),
      store,
      projectors,
      onProgress: (events) => {
        if (events - last >= 50_000) console.log(`  ${(last = events)} events`);
      },
    });
    const seconds = (result.durationMs / 1000).toFixed(1);
    console.log(
      `Rebuilt from ${result.events} events in ${seconds} s (${result.eventsPerSecond} events/s); switched to the new tables.`,
    );
  } finally {
    await close();
  }
});
