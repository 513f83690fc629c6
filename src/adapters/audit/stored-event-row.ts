import { sql } from 'kysely';
import { chainHash, contentHash } from '../../domain/audit/event-hash.js';

/** An event as its hash is computed from: the stored columns, the time in microseconds. */
export interface StoredEventRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
  recorded_micros: string;
}

/** The columns of `StoredEventRow`, for a select from `events`. */
export const storedEventColumns = sql`position::text as position, stream_name, stream_revision::text as stream_revision,
  event_id::text as event_id, event_type, data, metadata,
  (extract(epoch from recorded_at) * 1000000)::bigint::text as recorded_micros`;

/** The event's chain hash, after the hash of the event before it in its stream. */
export function chainHashOfRow(previous: Buffer, row: Omit<StoredEventRow, 'position'>): Buffer {
  const content = contentHash({
    streamName: row.stream_name,
    id: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
  });
  return chainHash(previous, content, BigInt(row.stream_revision), BigInt(row.recorded_micros));
}
