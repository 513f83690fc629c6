import {
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  BACKWARDS,
  START,
  END,
  StreamNotFoundError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreClosedError } from '../errors.js';
import type {
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../port.js';
import { appendWithoutDuplicates } from './append-without-duplicates.js';
import { deliverInBatches, type BatchingSubscription } from './batching-subscription.js';
import { compareCheckpoints, decodeCheckpoint, encodeCheckpoint, isSamePosition } from './checkpoint.js';
import { isSystemEvent, positionOf, toRecordedEvent } from './to-recorded-event.js';

const DEFAULT_MAX_BATCH_SIZE = 256;
const FLUSH_AFTER_MS = 5;
const READ_ALL_PAGE = 1000;

/**
 * The event store port on EventStoreDB, through its gRPC client. Checkpoints are `$all` positions
 * (`"<commit>/<prepare>"`); events that EventStoreDB writes for itself (`$` streams and types) are left out.
 *
 * @example
 * const store = createEventStoreDbEventStore('esdb://localhost:2113?tls=false');
 * await store.append('session-42', [event], 'no_stream');
 * await store.close();
 */
export function createEventStoreDbEventStore(connectionString: string): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const subscriptions = new Set<BatchingSubscription>();
  let closed = false;

  function ensureOpen(): void {
    if (closed) throw new EventStoreClosedError();
  }

  async function collect(events: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
    const resolved: ResolvedEvent[] = [];
    for await (const one of events) resolved.push(one);
    return resolved;
  }

  return {
    compareCheckpoints,

    async append(streamName, events, expected) {
      ensureOpen();
      return appendWithoutDuplicates(client, streamName, events, expected);
    },

    async readStream(streamName, options: ReadStreamOptions = {}) {
      ensureOpen();
      if (options.maxCount === 0) return [];
      const backwards = options.direction === 'backwards';
      try {
        const resolved = await collect(
          client.readStream(streamName, {
            direction: backwards ? BACKWARDS : FORWARDS,
            fromRevision: options.fromRevision ?? (backwards ? END : START),
            ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
          }),
        );
        return resolved.map(toRecordedEvent).filter((e): e is RecordedEvent => e !== undefined);
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
    },

    async readAll(options: ReadAllOptions = {}) {
      ensureOpen();
      const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
      const events: RecordedEvent[] = [];
      // The server reads $all from a position inclusively and counts system events, so read in pages, skip
      // the event at the checkpoint and the system events, and stop when a page comes back short.
      let after: Position | undefined =
        options.from === undefined ? undefined : decodeCheckpoint(options.from);
      while (events.length < maxCount) {
        const pageSize = Math.min(maxCount - events.length + 1, READ_ALL_PAGE);
        const page = (await collect(
          client.readAll({ fromPosition: after ?? START, maxCount: pageSize, direction: FORWARDS }),
        )) as AllStreamResolvedEvent[];
        for (const resolved of page) {
          const event = resolved.event;
          if (!event || (after && isSamePosition(positionOf(event), after)) || isSystemEvent(event)) continue;
          if (events.length < maxCount) events.push(toRecordedEvent(resolved)!);
        }
        const last = page.at(-1)?.event;
        if (page.length < pageSize || !last) break;
        after = positionOf(last);
      }
      return events;
    },

    async headCheckpoint(streamPrefixes) {
      ensureOpen();
      let before: Position | typeof END = END;
      for (;;) {
        const page = (await collect(
          client.readAll({ fromPosition: before, maxCount: READ_ALL_PAGE, direction: BACKWARDS }),
        )) as AllStreamResolvedEvent[];
        for (const resolved of page) {
          const event = resolved.event;
          if (!event || isSystemEvent(event)) continue;
          if (streamPrefixes.length && !streamPrefixes.some((prefix) => event.streamId.startsWith(prefix)))
            continue;
          return encodeCheckpoint(positionOf(event));
        }
        const last = page.at(-1)?.event;
        if (page.length < READ_ALL_PAGE || !last) return null;
        before = positionOf(last);
      }
    },

    subscribe(options: SubscribeOptions) {
      ensureOpen();
      const prefixes = options.filter?.streamPrefixes;
      if (prefixes?.length === 0)
        throw new RangeError('A subscription filter needs at least one stream prefix');
      const after = options.from === undefined ? undefined : decodeCheckpoint(options.from);
      const source = client.subscribeToAll({
        fromPosition: after ?? START,
        filter: prefixes ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
      });
      const subscription = deliverInBatches<RecordedEvent>({
        source,
        toEvent: (item) => {
          const resolved = item as AllStreamResolvedEvent;
          const event = resolved.event;
          // The server starts after the checkpoint already; the check guards against one that would not.
          if (!event || (after && isSamePosition(positionOf(event), after)) || isSystemEvent(event))
            return undefined;
          return toRecordedEvent(resolved);
        },
        handle: (events) => options.handle(events),
        maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        flushAfterMs: FLUSH_AFTER_MS,
        release: () => source.unsubscribe(),
      });
      subscriptions.add(subscription);
      void subscription.done.then(
        () => subscriptions.delete(subscription),
        () => subscriptions.delete(subscription),
      );
      return { stop: () => subscription.stop(), done: subscription.done };
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.fail(new EventStoreClosedError())));
      await client.dispose();
    },
  };
}
