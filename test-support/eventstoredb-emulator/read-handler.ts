import { status } from '@grpc/grpc-js';
import type { EventLog, StoredEvent } from './event-log.js';
import { checkpointInterval, InvalidFilterError, toEventFilter } from './filter.js';
import { ReadReq } from './generated.js';
import { indexFrom } from './log-position.js';
import { eventMessage, streamNotFoundMessage } from './messages.js';
import { pumpSubscription, type ReadCall } from './subscription-pump.js';

type ReadOptions = InstanceType<typeof ReadReq.Options>;

/** `Streams.Read`: reads of a stream or of `$all`, forwards or backwards, and catch-up subscriptions to either. */
export function createReadHandler(log: EventLog): (call: ReadCall) => void {
  return (call) => {
    const options = call.request.getOptions();
    try {
      if (!options) throw new InvalidFilterError('Read options are required');
      if (options.hasStream()) readStream(call, log, options);
      else if (options.hasAll()) readAll(call, log, options);
      else throw new InvalidFilterError('Read options need a stream or $all');
    } catch (error) {
      const invalid = error instanceof InvalidFilterError;
      call.emit('error', {
        code: invalid ? status.INVALID_ARGUMENT : status.INTERNAL,
        details: error instanceof Error ? error.message : String(error),
      });
    }
  };
}

function readStream(call: ReadCall, log: EventLog, options: ReadOptions): void {
  const streamOptions = options.getStream()!;
  const streamName = Buffer.from(streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString(
    'utf8',
  );
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const stored = log.stream(streamName) ?? [];
  const last = BigInt(stored.length - 1);

  if (options.hasSubscription()) {
    const after = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : -1n;
    return pumpSubscription(call, log, {
      startIndex: streamOptions.hasEnd() ? log.all.length : 0,
      matches: (e) => e.streamName === streamName && e.revision > after,
      structuredIds,
    });
  }

  if (stored.length === 0) {
    call.write(streamNotFoundMessage(streamName));
    return void call.end();
  }
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  // As on the server, "end" is past the last event: backwards it starts with the last one, forwards it reads nothing.
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasEnd()
      ? last + (backwards ? 0n : 1n)
      : streamOptions.hasStart() || !backwards
        ? 0n
        : last;
  const selected = backwards
    ? stored.filter((e) => e.revision <= from).reverse()
    : stored.filter((e) => e.revision >= from);
  writeAndEnd(call, selected.slice(0, count(options)), structuredIds);
}

function readAll(call: ReadCall, log: EventLog, options: ReadOptions): void {
  const allOptions = options.getAll()!;
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const filter = options.hasFilter() ? options.getFilter() : undefined;
  const matches = toEventFilter(filter);
  const position = allOptions.getPosition();
  const at = position && {
    commit: BigInt(position.getCommitPosition()),
    prepare: BigInt(position.getPreparePosition()),
  };

  if (options.hasSubscription()) {
    // A subscription from a position starts after it; from the start, with the first event.
    const startIndex = at ? indexFrom(log.all, at, false) : allOptions.hasEnd() ? log.all.length : 0;
    return pumpSubscription(call, log, {
      startIndex,
      matches,
      structuredIds,
      checkpointInterval: checkpointInterval(filter),
    });
  }

  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  let selected: StoredEvent[];
  if (backwards) {
    // Reading backwards from a position gives the events before it.
    const end = at ? indexFrom(log.all, at, true) : allOptions.hasStart() ? 0 : log.all.length;
    selected = log.all.slice(0, end).filter(matches).reverse();
  } else {
    // Reading forwards from a position includes the event at that position.
    const start = at ? indexFrom(log.all, at, true) : allOptions.hasEnd() ? log.all.length : 0;
    selected = log.all.slice(start).filter(matches);
  }
  writeAndEnd(call, selected.slice(0, count(options)), structuredIds);
}

function count(options: ReadOptions): number {
  const requested = BigInt(options.getCount() || '0');
  return Number(requested > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : requested);
}

function writeAndEnd(call: ReadCall, events: readonly StoredEvent[], structuredIds: boolean): void {
  for (const event of events) call.write(eventMessage(event, structuredIds));
  call.end();
}
