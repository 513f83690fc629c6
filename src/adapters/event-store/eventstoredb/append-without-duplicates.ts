import {
  BACKWARDS,
  END,
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { WrongExpectedVersionError } from '../errors.js';
import type { ActualRevision, AppendResult, EventToAppend, ExpectedRevision } from '../port.js';
import { auditChainOf, chainEvents } from './audit-chain-metadata.js';
import { encodeCheckpoint } from './checkpoint.js';

const MAX_ATTEMPTS = 50;
/** How many of a stream's latest events an append checks for duplicates. */
export const duplicateWindow = 1000;

/**
 * Appends the events the stream does not hold yet, if the stream is where the caller expects it.
 *
 * EventStoreDB's own idempotency is not enough for the port: it recognises a retried batch only when it is sent
 * again with its original expected revision (or recently, with `any`), and it writes an id again when the
 * expected revision is current, which is how a callback delivered twice comes back. So the stream's latest
 * events are read first (a bounded tail, never the whole stream: `duplicateWindow` events), duplicates among
 * them are dropped and the caller's expectation is checked against the revision read; the rest is then
 * appended with that exact revision. If another writer got in between, the server refuses and the whole check
 * runs again on the new state. A repeat of an event older than the window would be stored again: facts come
 * back within moments (a callback redelivered, a retried request), and the deciders' own windows catch them too.
 */
export async function appendWithoutDuplicates(
  client: EventStoreDBClient,
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const unique = [...new Map(events.map((e) => [e.id.toLowerCase(), e])).values()];
  for (let attempt = 1; ; attempt++) {
    const stream = await readIdsAndRevision(client, streamName);
    const fresh = unique.filter((e) => !stream.ids.has(e.id.toLowerCase()));
    const current = stream.revision;
    if (fresh.length === 0 && unique.length > 0 && current !== 'no_stream') {
      return { nextExpectedRevision: current, appended: 0 };
    }
    if (!isExpected(expected, current)) throw new WrongExpectedVersionError(streamName, expected, current);
    if (fresh.length === 0)
      return { nextExpectedRevision: current === 'no_stream' ? -1n : current, appended: 0 };
    const chained = chainEvents(
      streamName,
      fresh,
      current === 'no_stream' ? 0n : current + 1n,
      stream.headHash,
      BigInt(Date.now()) * 1000n,
    );
    try {
      const result = await client.appendToStream(
        streamName,
        chained.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision: current === 'no_stream' ? NO_STREAM : current },
      );
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        appended: fresh.length,
        ...(result.position ? { checkpoint: encodeCheckpoint(result.position) } : {}),
      };
    } catch (error) {
      if (!(error instanceof ClientWrongExpectedVersionError)) throw error;
      if (attempt === MAX_ATTEMPTS)
        throw new WrongExpectedVersionError(streamName, expected, error.actualVersion);
    }
  }
}

function isExpected(expected: ExpectedRevision, current: ActualRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    default:
      return current === expected;
  }
}

async function readIdsAndRevision(
  client: EventStoreDBClient,
  streamName: string,
): Promise<{ ids: Set<string>; revision: ActualRevision; headHash: string | undefined }> {
  const ids = new Set<string>();
  let revision: ActualRevision = 'no_stream';
  let headHash: string | undefined;
  try {
    const tail = client.readStream(streamName, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: duplicateWindow,
    });
    for await (const { event } of tail) {
      if (!event) continue;
      ids.add(event.id.toLowerCase());
      if (revision === 'no_stream') {
        revision = event.revision;
        headHash = auditChainOf(event.metadata)?.hash;
      }
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { ids, revision, headHash };
}
