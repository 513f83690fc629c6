// A record as EventStoreDB keeps it: revision within its stream, position within the transaction log.
export interface StoredEvent {
  id: string;
  streamName: string;
  revision: bigint;
  // `type`, `content-type` and `created` (ticks of 100 ns since the Unix epoch), as the gRPC API sends them.
  metadata: ReadonlyMap<string, string>;
  data: Uint8Array;
  customMetadata: Uint8Array;
  commitPosition: bigint;
  preparePosition: bigint;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type ExpectedStreamState = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | { result: 'success'; currentRevision: bigint; commitPosition: bigint; preparePosition: bigint }
  | { result: 'wrong_expected_version'; current: bigint | 'no_stream'; expected: ExpectedStreamState };

export interface EventLog {
  append(streamName: string, expected: ExpectedStreamState, events: readonly ProposedEvent[]): AppendOutcome;
  // The events of one stream in revision order, or undefined when the stream does not exist.
  stream(streamName: string): readonly StoredEvent[] | undefined;
  // Every event in log order; index i is the i-th event ever written.
  readonly all: readonly StoredEvent[];
  // Calls `listener` after each successful append that wrote events; returns the unsubscribe function.
  onAppended(listener: () => void): () => void;
}

// Bytes every record takes in the log besides its payload, so positions grow like real log offsets.
const RECORD_OVERHEAD = 128n;
const TICKS_PER_MILLISECOND = 10_000n;

/**
 * The in-memory transaction log of the emulator, with EventStoreDB's append rules: expected revision checks and
 * idempotent retries. Like the server's commit check, idempotency is judged per batch, not per event: a batch
 * whose first event is new is written whole (EventStoreDB does not look for duplicates further in), and a batch
 * whose events are already stored in the same order is acknowledged without being written again.
 */
export function createEventLog(): EventLog {
  const all: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const byStreamAndId = new Map<string, StoredEvent>();
  const listeners = new Set<() => void>();
  let nextPosition = 0n;

  const key = (streamName: string, id: string) => `${streamName}\u0000${id.toLowerCase()}`;

  function append(
    streamName: string,
    expected: ExpectedStreamState,
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    const stored = streams.get(streamName) ?? [];
    const current = stored.length === 0 ? -1n : BigInt(stored.length - 1);
    const refuse = (): AppendOutcome => ({
      result: 'wrong_expected_version',
      current: current < 0n ? 'no_stream' : current,
      expected,
    });

    if (expected === 'stream_exists' && current < 0n) return refuse();
    if (expected === 'any' || expected === 'stream_exists') {
      const replay = findReplayAnywhere(streamName, events);
      if (replay === 'corrupted') return refuse();
      if (replay) return replay;
    } else {
      const expectedRevision = expected === 'no_stream' ? -1n : expected;
      if (expectedRevision > current) return refuse();
      if (expectedRevision < current) return findReplayAfter(stored, expectedRevision, events) ?? refuse();
    }
    return write(streamName, stored, events);
  }

  function findReplayAnywhere(streamName: string, events: readonly ProposedEvent[]) {
    const found = events.map((e) => byStreamAndId.get(key(streamName, e.id)));
    if (found.length === 0 || found[0] === undefined) return undefined;
    const consecutive = found.every(
      (e, i) => e !== undefined && e.revision === found[0]!.revision + BigInt(i),
    );
    return consecutive ? acknowledge(found.at(-1)!) : ('corrupted' as const);
  }

  function findReplayAfter(
    stored: readonly StoredEvent[],
    expected: bigint,
    events: readonly ProposedEvent[],
  ) {
    const first = Number(expected + 1n);
    const matches = events.every((e, i) => stored[first + i]?.id.toLowerCase() === e.id.toLowerCase());
    return matches && events.length > 0 ? acknowledge(stored[first + events.length - 1]!) : undefined;
  }

  function acknowledge(last: StoredEvent): AppendOutcome {
    return {
      result: 'success',
      currentRevision: last.revision,
      commitPosition: last.commitPosition,
      preparePosition: last.preparePosition,
    };
  }

  function write(streamName: string, stored: StoredEvent[], events: readonly ProposedEvent[]): AppendOutcome {
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    for (const proposed of events) {
      const position = nextPosition;
      nextPosition += RECORD_OVERHEAD + BigInt(proposed.data.length + proposed.customMetadata.length);
      const event: StoredEvent = {
        id: proposed.id.toLowerCase(),
        streamName,
        revision: BigInt(stored.length),
        metadata: new Map([
          ['type', proposed.type],
          ['content-type', proposed.contentType],
          ['created', created.toString()],
        ]),
        data: proposed.data,
        customMetadata: proposed.customMetadata,
        commitPosition: position,
        preparePosition: position,
      };
      stored.push(event);
      all.push(event);
      byStreamAndId.set(key(streamName, event.id), event);
    }
    streams.set(streamName, stored);
    if (events.length > 0) for (const listener of listeners) listener();
    const last = stored.at(-1);
    return last
      ? acknowledge(last)
      : {
          result: 'success',
          currentRevision: -1n,
          commitPosition: nextPosition,
          preparePosition: nextPosition,
        };
  }

  return {
    append,
    stream: (streamName) => streams.get(streamName),
    all,
    onAppended(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
