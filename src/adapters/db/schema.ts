import type { ColumnType, Generated } from 'kysely';
import type { JsonObject } from '../event-store/port.js';
import type { ReadModelSchema } from './read-model-schema.js';

/** The event store's tables (see migrations/0001-event-store.ts). */
export interface EventsTable {
  position: Generated<string>;
  transaction_id: Generated<string>;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: ColumnType<JsonObject, string, never>;
  metadata: ColumnType<JsonObject, string, never>;
  recorded_at: Generated<Date>;
}

export interface StreamsTable {
  stream_name: string;
  revision: string;
}

export interface DatabaseSchema extends ReadModelSchema {
  events: EventsTable;
  streams: StreamsTable;
}
