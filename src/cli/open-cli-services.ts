import { loadConfig } from '../config.js';
import type { Database } from '../adapters/db/database.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openDatabase } from '../adapters/db/open-database.js';
import { openEventStore } from '../adapters/event-store/open-event-store.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { openPrivacy } from '../adapters/privacy/open-privacy.js';

/** The configured database (migrated) and event store, for a command-line tool; `close` releases both. */
export async function openCliServices(): Promise<{
  database: Database;
  store: EventStore;
  close: () => Promise<void>;
}> {
  const config = loadConfig();
  const database = await openDatabase(config);
  await migrateToLatest(database.db);
  // What a tool reads is opened as the gateway opens it: an erased contact stays erased in a rebuild.
  const privacy = await openPrivacy(database, config.DATA_KEY);
  const store = privacy.sealing.wrap(await openEventStore(config, database));
  return {
    database,
    store,
    close: async () => {
      await privacy.close();
      await store.close();
      await database.close();
    },
  };
}
