import type { JsonObject, RecordedEvent } from '../port.js';
import { encodeCheckpoint } from './postgres-checkpoint.js';

/** An events row as the store selects it: 64-bit numbers as text, whatever the driver. */
export interface EventRow {
  position: string;
  transaction_id: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date | string;
}

export const eventColumns = `position::text as position, transaction_id::text as transaction_id, event_id::text as event_id,
  stream_name, stream_revision::text as stream_revision, event_type, data, metadata, recorded_at`;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const position = BigInt(row.position);
  return {
    id: row.event_id,
    type: row.event_type,
    streamName: row.stream_name,
    revision: BigInt(row.stream_revision),
    position,
    checkpoint: encodeCheckpoint({ transactionId: BigInt(row.transaction_id), position }),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}
