import { FORWARDS, type EventStoreDBClient, type ResolvedEvent } from '@eventstore/db-client';
import { auditChainOf } from '../event-store/eventstoredb/audit-chain-metadata.js';
import { encodeCheckpoint } from '../event-store/eventstoredb/checkpoint.js';
import { toRecordedEvent } from '../event-store/eventstoredb/to-recorded-event.js';
import type { RecordedEvent } from '../event-store/port.js';
import type { IndexedEvent } from './eventstoredb-session-index.js';

/** An event as the audit page shows it, with the hash of its `auditChain` link (null on one without). */
export interface ChainedEvent {
  event: RecordedEvent;
  hash: string | null;
}

/** Reads of streams in flight at once for one page. */
const parallelReads = 8;

export class IndexedEventMissingError extends Error {
  override readonly name = 'IndexedEventMissingError';

  constructor(
    readonly streamName: string,
    readonly revision: bigint,
  ) {
    super(`The audit index names revision ${revision} of ${streamName}, which EventStoreDB did not return`);
  }
}

/**
 * The indexed events, in the order given, read from their streams: consecutive revisions of one stream in one
 * read. Their positions are the index's (the `$all` positions the follower saw them at).
 * @throws IndexedEventMissingError when a stream no longer holds an indexed event.
 */
export async function readIndexedEvents(
  client: EventStoreDBClient,
  indexed: readonly IndexedEvent[],
): Promise<ChainedEvent[]> {
  const byKey = new Map<string, ResolvedEvent>();
  const runs = consecutiveRuns(indexed);
  for (let at = 0; at < runs.length; at += parallelReads)
    await Promise.all(
      runs.slice(at, at + parallelReads).map(async (run) => {
        for await (const resolved of client.readStream(run.streamName, {
          fromRevision: run.fromRevision,
          maxCount: run.count,
          direction: FORWARDS,
        }) as AsyncIterable<ResolvedEvent>)
          if (resolved.event) byKey.set(keyOf(run.streamName, resolved.event.revision), resolved);
      }),
    );
  return indexed.map(({ streamName, revision, position }) => {
    const resolved = byKey.get(keyOf(streamName, revision));
    if (!resolved?.event) throw new IndexedEventMissingError(streamName, revision);
    const event = toRecordedEvent({ ...resolved, commitPosition: position.commit })!;
    return {
      event: { ...event, position: position.commit, checkpoint: encodeCheckpoint(position) },
      hash: auditChainOf(resolved.event.metadata)?.hash ?? null,
    };
  });
}

interface Run {
  streamName: string;
  fromRevision: bigint;
  count: number;
}

/** The revisions of each stream, grouped into runs of consecutive ones: one read each. */
function consecutiveRuns(indexed: readonly IndexedEvent[]): Run[] {
  const revisions = new Map<string, bigint[]>();
  for (const { streamName, revision } of indexed) {
    const list = revisions.get(streamName) ?? [];
    list.push(revision);
    revisions.set(streamName, list);
  }
  const runs: Run[] = [];
  for (const [streamName, list] of revisions) {
    const sorted = [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const revision of sorted) {
      const last = runs.at(-1);
      if (last?.streamName === streamName && last.fromRevision + BigInt(last.count) === revision)
        last.count += 1;
      else runs.push({ streamName, fromRevision: revision, count: 1 });
    }
  }
  return runs;
}

const keyOf = (streamName: string, revision: bigint) => `${revision}\u0000${streamName}`;
