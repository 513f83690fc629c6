import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash before a stream's first event: 32 zero bytes. */
export const genesisHash = Buffer.alloc(32);

/** What an event's content hash covers: the event as it is stored, with the stream it belongs to. */
export interface HashedContent {
  streamName: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/**
 * SHA-256 of the canonical JSON (see canonical-json.ts) of `{ data, id, metadata, stream, type }`, the id in
 * lower case as the database writes UUIDs. Any change to the stream name, id, type, data or metadata changes it.
 */
export function contentHash(event: HashedContent): Buffer {
  const canonical = canonicalJson({
    data: event.data,
    id: event.id.toLowerCase(),
    metadata: event.metadata,
    stream: event.streamName,
    type: event.type,
  });
  return hash('sha256', canonical, 'buffer');
}

/**
 * The event's link in its stream's chain: SHA-256 over the previous event's hash (`genesisHash` before revision
 * 0), the content hash, then the revision and the recorded time in microseconds since 1970 as 8-byte big-endian
 * signed integers; 80 bytes in all. zl_append_many (migration 0015) computes the same bytes with
 * `sha256(previous || content || int8send(revision) || int8send(micros))`.
 */
export function chainHash(
  previous: Buffer,
  content: Buffer,
  revision: bigint,
  recordedAtMicros: bigint,
): Buffer {
  const bytes = Buffer.allocUnsafe(80);
  previous.copy(bytes, 0);
  content.copy(bytes, 32);
  bytes.writeBigInt64BE(revision, 64);
  bytes.writeBigInt64BE(recordedAtMicros, 72);
  return hash('sha256', bytes, 'buffer');
}
