import { FORWARDS, START, type EventStoreDBClient, type ResolvedEvent } from '@eventstore/db-client';
import { auditChainOf, withoutAuditChain } from '../event-store/eventstoredb/audit-chain-metadata.js';
import type { JsonObject } from '../event-store/port.js';
import type { BundleEventSource } from './session-bundle.js';

export class UnchainedEventError extends Error {
  override readonly name = 'UnchainedEventError';

  constructor(streamName: string, revision: bigint) {
    super(`Event ${revision} of ${streamName} has no hash: run npm run audit -- verify`);
  }
}

/**
 * A stream's events on EventStoreDB as a bundle holds them: as stored, the chain link taken out of the metadata
 * (it is what the hash is not computed over) and given as the event's hash and recorded time.
 */
export function eventStoreDbBundleEvents(client: EventStoreDBClient, pageSize = 1000n): BundleEventSource {
  return async function* (streamName, lastRevision) {
    for (let from = 0n; from <= lastRevision; from += pageSize) {
      // A page is read whole before it is given out: a read left half-way (the caller stopping) stays open.
      const page: ResolvedEvent[] = [];
      for await (const resolved of client.readStream(streamName, {
        fromRevision: from === 0n ? START : from,
        direction: FORWARDS,
        maxCount: pageSize,
      }) as AsyncIterable<ResolvedEvent>)
        page.push(resolved);
      for (const { event } of page) {
        if (!event || event.revision > lastRevision) continue;
        const link = auditChainOf(event.metadata);
        if (!link) throw new UnchainedEventError(streamName, event.revision);
        yield {
          data: event.data,
          hash: link.hash,
          id: event.id,
          metadata: withoutAuditChain((event.metadata ?? {}) as JsonObject),
          recordedAtMicros: link.recordedAtMicros,
          revision: event.revision.toString(),
          stream: event.streamId,
          type: event.type,
        };
      }
      if (BigInt(page.length) < pageSize) return;
    }
  };
}
