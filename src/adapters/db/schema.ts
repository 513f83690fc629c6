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
  /** The event's chain hash (migration 0015); null only on a row the store did not write. */
  hash: ColumnType<Uint8Array | null, never, never>;
}

export interface StreamsTable {
  stream_name: string;
  revision: string;
  head_hash: ColumnType<Uint8Array | null, never, never>;
  anchored_revision: ColumnType<string, never, string>;
}

export interface AuditAnchorsTable {
  sequence: string;
  payload: string;
  signature: string;
  public_key: string;
  created_at: Generated<Date>;
}

export interface AuditAnchorHeadsTable {
  anchor_sequence: string;
  stream_name: string;
  revision: string;
  hash: Uint8Array;
}

export interface AuditSigningKeysTable {
  name: string;
  private_key: string;
  public_key: string;
  created_at: Generated<Date>;
}

export interface DatabaseSchema extends ReadModelSchema {
  events: EventsTable;
  streams: StreamsTable;
  audit_anchors: AuditAnchorsTable;
  audit_anchor_heads: AuditAnchorHeadsTable;
  audit_signing_keys: AuditSigningKeysTable;
}
