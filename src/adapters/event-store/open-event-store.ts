import type { Config } from '../../config.js';
import type { Database } from '../db/database.js';
import { createEventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import type { EventStore } from './port.js';
import { createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';

/** The event store the configuration names: the PostgreSQL database (server or PGlite) or EventStoreDB. */
export function openEventStore(
  config: Pick<Config, 'EVENT_STORE' | 'EVENTSTORE_URL'>,
  database: Database,
  options: PostgresEventStoreOptions = {},
): EventStore {
  return config.EVENT_STORE === 'eventstoredb'
    ? createEventStoreDbEventStore(config.EVENTSTORE_URL!)
    : createPostgresEventStore(database, options);
}
