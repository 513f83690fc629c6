import type { ReadReq } from '@eventstore/db-client/generated/streams_pb.js';
import type { StoredEvent } from './event-log.js';

export type EventFilter = (event: StoredEvent) => boolean;

export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError';
}

const DEFAULT_SEARCH_WINDOW = 32;

/** The filter of a `$all` read or subscription: stream name or event type, by prefixes or else by a regex. */
export function toEventFilter(filter: ReadReq.Options.FilterOptions | undefined): EventFilter {
  if (!filter) return () => true;
  const onStream = filter.getStreamIdentifier();
  const expression = onStream ?? filter.getEventType();
  if (!expression)
    throw new InvalidFilterError('A filter must be on the stream identifier or the event type');
  const field = onStream
    ? (e: StoredEvent) => e.streamName
    : (e: StoredEvent) => e.metadata.get('type') ?? '';
  const prefixes = expression.getPrefixList();
  if (prefixes.length > 0) return (e) => prefixes.some((prefix) => field(e).startsWith(prefix));
  if (expression.getRegex() === '') throw new InvalidFilterError('A filter needs prefixes or a regex');
  const regex = new RegExp(expression.getRegex());
  return (e) => regex.test(field(e));
}

/** How many events a filtered subscription scans between two checkpoints, as EventStoreDB computes it. */
export function checkpointInterval(filter: ReadReq.Options.FilterOptions | undefined): number | undefined {
  if (!filter) return undefined;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return window * Math.max(1, filter.getCheckpointintervalmultiplier());
}
