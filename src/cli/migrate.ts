import { loadConfig } from '../config.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openDatabase } from '../adapters/db/open-database.js';
import { runCli } from './run-cli.js';

runCli(async () => {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const results = await migrateToLatest(database.db);
    for (const result of results) console.log(`${result.status.toLowerCase()}: ${result.migrationName}`);
    console.log(results.length ? `Applied ${results.length} migration(s).` : 'The schema is up to date.');
  } finally {
    await database.close();
  }
});
