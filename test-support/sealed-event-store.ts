import type { Database } from '../src/adapters/db/database.js';
import type { EventStore } from '../src/adapters/event-store/port.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { openPrivacy } from '../src/adapters/privacy/open-privacy.js';

/**
 * The PostgreSQL event store of a database a gateway wrote, reading events opened as the gateway does (its
 * personal fields are sealed per contact, README "Privacy: crypto-shredding"). Gateways under test run without
 * DATA_KEY.
 */
export async function openSealedEventStore(database: Database): Promise<EventStore> {
  const privacy = await openPrivacy(database, undefined);
  const store = privacy.sealing.wrap(createPostgresEventStore(database));
  return {
    ...store,
    async close() {
      await store.close();
      await privacy.close();
    },
  };
}
