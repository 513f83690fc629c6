import type { EventStore } from '../adapters/event-store/port.js';
import type { DomainEvent } from '../domain/decider.js';
import { parseEvent, type EventStreamType } from '../domain/event-stream.js';
import type { SnapshotStore } from './snapshot-store.js';

export interface CachedState<State> {
  revision: bigint;
  state: State;
  /** The revision of the stream's last snapshot; -1 when it has none. */
  snapshotAt: bigint;
}

export interface StreamStatesOptions {
  /** How many streams' latest state is kept in memory (least recently used go first). */
  cachedStreams?: number;
  /** Where the state of streams whose type has a `snapshotVersion` is kept every `snapshotEvery` events. */
  snapshots?: SnapshotStore;
  snapshotEvery?: number;
  /** Told when a snapshot could not be saved (a snapshot is a cache: the command has succeeded all the same). */
  onSnapshotError?: (error: unknown, streamName: string) => void;
}

type SnapshottedType = { category: string; snapshotVersion?: number };

const snapshotVersionOf = (streamType: SnapshottedType) =>
  `${streamType.category}:${streamType.snapshotVersion}`;

/**
 * The decision state of streams: the latest of recently used ones in memory, long ones snapshotted every so many
 * events, and any of them brought up to date by reading only the events after what is known. States are
 * immutable, so sharing them is safe.
 */
export function createStreamStates(store: EventStore, options: StreamStatesOptions = {}) {
  const capacity = options.cachedStreams ?? 10_000;
  const snapshotEvery = BigInt(options.snapshotEvery ?? 500);
  const entries = new Map<string, CachedState<unknown>>();

  function keep(streamName: string, entry: CachedState<unknown>): void {
    entries.delete(streamName);
    entries.set(streamName, entry);
    if (entries.size > capacity) entries.delete(entries.keys().next().value!);
  }

  /** The latest snapshot of the stream, if its type keeps them and it is of the current shape. */
  async function snapshotOf<State>(
    streamType: SnapshottedType,
    streamName: string,
  ): Promise<CachedState<State> | undefined> {
    if (!options.snapshots || streamType.snapshotVersion === undefined) return undefined;
    const snapshot = await options.snapshots.load(streamName);
    if (!snapshot || snapshot.version !== snapshotVersionOf(streamType)) return undefined;
    return { revision: snapshot.revision, state: snapshot.state as State, snapshotAt: snapshot.revision };
  }

  /** Remembers a stream's state, and keeps a snapshot once it has grown `snapshotEvery` events past the last. */
  function remember<State>(streamType: SnapshottedType, streamName: string, entry: CachedState<State>): void {
    const snapshots = options.snapshots;
    if (
      !snapshots ||
      streamType.snapshotVersion === undefined ||
      entry.revision - entry.snapshotAt < snapshotEvery
    ) {
      keep(streamName, entry);
      return;
    }
    keep(streamName, { ...entry, snapshotAt: entry.revision });
    snapshots
      .save(streamName, {
        revision: entry.revision,
        version: snapshotVersionOf(streamType),
        state: entry.state,
      })
      .catch((error: unknown) => options.onSnapshotError?.(error, streamName));
  }

  return {
    /** The state this process holds for the stream, marked most recently used. */
    cached<State>(streamName: string): CachedState<State> | undefined {
      const entry = entries.get(streamName);
      if (entry) keep(streamName, entry);
      return entry as CachedState<State> | undefined;
    },

    remember,

    /** The state after the events that follow `from` (a cached state, else the snapshot, else the start). */
    async catchUp<State, Command, Event extends DomainEvent>(
      streamType: EventStreamType<State, Command, Event>,
      streamName: string,
      from: CachedState<State> | undefined,
    ): Promise<{ state: State; revision: bigint | null; snapshotAt: bigint }> {
      const base = from ?? (await snapshotOf<State>(streamType, streamName));
      const history = await store.readStream(streamName, base ? { fromRevision: base.revision + 1n } : {});
      const state = history.reduce(
        (s, e) => streamType.decider.evolve(s, parseEvent(streamType, e.type, e.data)),
        base?.state ?? streamType.decider.initialState(),
      );
      const revision = history.length === 0 ? (base?.revision ?? null) : history.at(-1)!.revision;
      const snapshotAt = base?.snapshotAt ?? -1n;
      if (revision !== null) remember(streamType, streamName, { revision, state, snapshotAt });
      return { state, revision, snapshotAt };
    },
  };
}
