import { FORWARDS, START, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { chainHash, contentHash, genesisHash } from '../../domain/audit/event-hash.js';
import { auditChainOf, withoutAuditChain } from '../event-store/eventstoredb/audit-chain-metadata.js';
import type { JsonObject } from '../event-store/port.js';
import { isSystemEvent } from '../event-store/eventstoredb/to-recorded-event.js';
import { chainBreak, type VerificationReport } from './chain-break.js';

/**
 * Verifies every stream's chain on EventStoreDB (see audit-chain-metadata.ts), reading `$all` as a stream (never
 * whole) and keeping only each stream's last revision and hash. EventStoreDB has no anchors: what it adds to the
 * chains is its own immutability (events cannot be updated, only deleted with their stream or scavenged).
 */
export async function verifyEventStoreDbStore(client: EventStoreDBClient): Promise<VerificationReport> {
  const heads = new Map<string, { revision: bigint; hash: Buffer }>();
  let events = 0;
  const report = (firstBreak: VerificationReport['firstBreak']): VerificationReport => ({
    events,
    streams: heads.size,
    anchors: 0,
    anchoredEvents: 0,
    publicKeys: [],
    firstBreak,
  });
  for await (const resolved of client.readAll({
    fromPosition: START,
    direction: FORWARDS,
  }) as AsyncIterable<AllStreamResolvedEvent>) {
    const event = resolved.event;
    if (!event || isSystemEvent(event)) continue;
    const at = {
      streamName: event.streamId,
      revision: event.revision.toString(),
      eventId: event.id,
      position: event.position?.commit.toString() ?? null,
    };
    const head = heads.get(event.streamId);
    const expectedRevision = head ? head.revision + 1n : 0n;
    if (event.revision !== expectedRevision)
      return report(
        chainBreak({ ...at, problem: `revision ${event.revision} follows ${expectedRevision - 1n}` }),
      );
    const link = auditChainOf(event.metadata);
    if (!link)
      return report(chainBreak({ ...at, problem: 'the event has no hash: the store did not write it' }));
    const metadata = withoutAuditChain((event.metadata ?? {}) as JsonObject);
    const content = contentHash({
      streamName: event.streamId,
      id: event.id,
      type: event.type,
      data: event.data,
      metadata,
    });
    const hash = chainHash(head?.hash ?? genesisHash, content, event.revision, BigInt(link.recordedAtMicros));
    if (hash.toString('hex') !== link.hash)
      return report(chainBreak({ ...at, problem: 'the hash does not match the event or the one before it' }));
    heads.set(event.streamId, { revision: event.revision, hash });
    events += 1;
  }
  return report(null);
}
