import type { Config } from '../../config.js';
import type { Database } from '../db/database.js';
import type { EventStore } from './port.js';
import { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';

/**
 * The event store the configuration names: the PostgreSQL database (server or PGlite) or EventStoreDB. The
 * EventStoreDB client (gRPC, about 25 MB of memory) is loaded only when it is the one configured.
 */
export async function openEventStore(
  config: Pick<Config, 'EVENT_STORE' | 'EVENTSTORE_URL'>,
  database: Database,
  options: PostgresEventStoreOptions = {},
): Promise<EventStore> {
  if (config.EVENT_STORE !== 'eventstoredb') return createPostgresEventStore(database, options);
  const { createEventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
  return createEventStoreDbEventStore(config.EVENTSTORE_URL!);
}
