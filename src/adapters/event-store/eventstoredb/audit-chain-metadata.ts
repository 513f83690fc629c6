import { chainHash, contentHash, genesisHash } from '../../../domain/audit/event-hash.js';
import type { EventToAppend, JsonObject } from '../port.js';

/**
 * EventStoreDB has no statement to chain hashes in, so the adapter chains them before it appends (it reads the
 * stream's tail anyway, and appends with the exact revision it read, so no other writer can slip in between):
 * each event's metadata carries `auditChain: { hash, recordedAtMicros }`, the hash computed as on PostgreSQL
 * (src/domain/audit/event-hash.ts) over the metadata without this key, with the adapter's clock as recorded time.
 * Readers never see the key: the store strips it.
 */
export const auditChainKey = 'auditChain';

export interface AuditChainLink {
  /** Hex. */
  hash: string;
  /** Microseconds since 1970, as text. */
  recordedAtMicros: string;
}

export function auditChainOf(metadata: unknown): AuditChainLink | undefined {
  const link = (metadata as Record<string, unknown> | undefined)?.[auditChainKey] as
    AuditChainLink | undefined;
  return typeof link?.hash === 'string' && typeof link.recordedAtMicros === 'string' ? link : undefined;
}

export function withoutAuditChain(metadata: JsonObject): JsonObject {
  if (!(auditChainKey in metadata)) return metadata;
  const { [auditChainKey]: _link, ...rest } = metadata;
  return rest;
}

/** The events with their links, chained after `previousHash` (hex; none before a stream's first event). */
export function chainEvents(
  streamName: string,
  events: readonly EventToAppend[],
  firstRevision: bigint,
  previousHash: string | undefined,
  nowMicros: bigint,
): EventToAppend[] {
  let previous: Buffer = previousHash ? Buffer.from(previousHash, 'hex') : genesisHash;
  return events.map((event, offset) => {
    const content = contentHash({ streamName, ...event });
    previous = chainHash(previous, content, firstRevision + BigInt(offset), nowMicros);
    const link: AuditChainLink = { hash: previous.toString('hex'), recordedAtMicros: nowMicros.toString() };
    return { ...event, metadata: { ...event.metadata, [auditChainKey]: { ...link } } };
  });
}
