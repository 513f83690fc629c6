import type { EventStoreDBClient, Position, ReadPosition, ResolvedEvent } from '@eventstore/db-client';

/** One event a read delivered to the code under test. */
export interface DeliveredEvent {
  read: 'readAll' | 'readStream';
  streamName: string;
  position: Position | undefined;
  companyId: unknown;
}

export interface CountingEventStoreDbClient {
  /** The client to hand to the code under test: `readAll` and `readStream` are counted, the rest passes through. */
  client: EventStoreDBClient;
  /** Every event the reads delivered, in order. */
  delivered: DeliveredEvent[];
  /** Where each `readAll` started. */
  readAllFrom: (ReadPosition | undefined)[];
  /** The stream of each `readStream`. */
  streamsRead: string[];
}

/**
 * Watches what code reads through an EventStoreDB client, to prove what it never reads (another tenant's events).
 *
 * @example
 * const counting = countingEventStoreDbClient(client);
 * await eventStoreDbSessionAuditPage(counting.client, db, query);
 * expect(counting.delivered.filter((e) => e.companyId !== 'c1')).toEqual([]);
 */
export function countingEventStoreDbClient(client: EventStoreDBClient): CountingEventStoreDbClient {
  const delivered: DeliveredEvent[] = [];
  const readAllFrom: (ReadPosition | undefined)[] = [];
  const streamsRead: string[] = [];
  async function* counted(read: DeliveredEvent['read'], source: AsyncIterable<ResolvedEvent>) {
    for await (const resolved of source) {
      const event = resolved.event;
      if (event)
        delivered.push({
          read,
          streamName: event.streamId,
          position: event.position,
          companyId: (event.metadata as Record<string, unknown> | undefined)?.['companyId'],
        });
      yield resolved;
    }
  }
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'readAll')
        return (options?: { fromPosition?: ReadPosition }) => {
          readAllFrom.push(options?.fromPosition);
          return counted('readAll', target.readAll(options));
        };
      if (property === 'readStream')
        return (...args: Parameters<EventStoreDBClient['readStream']>) => {
          streamsRead.push(args[0]);
          return counted('readStream', target.readStream(...args));
        };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client: proxy, delivered, readAllFrom, streamsRead };
}
