/**
 * The event store port: the only way the application reads and writes history.
 * Revisions follow EventStoreDB: the first event of a stream is revision 0.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What the writer expects the stream to look like before the append. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

/** The revision a stream actually had when an append was refused. */
export type ActualRevision = 'no_stream' | bigint;

/**
 * An opaque position in the global order of one store. Only the store that produced it can interpret it;
 * callers persist it as a string and hand it back to resume.
 */
export type Checkpoint = string;

export interface EventToAppend {
  /** A UUID. Appending an id the stream already holds is a no-op. */
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamName: string;
  revision: bigint;
  /** The event's place in the global order, for display and ordering within one store. */
  position: bigint;
  /** Resume point just after this event. */
  checkpoint: Checkpoint;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

export interface AppendResult {
  /** The stream's last revision after the append (what to pass as expected revision next time). */
  nextExpectedRevision: bigint;
  /** How many of the given events were new; duplicates of stored ids are not counted. */
  appended: number;
  /** The checkpoint just after the last event appended, when any was (to wait for what follows it). */
  checkpoint?: Checkpoint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this checkpoint. Omit to read from the beginning. */
  from?: Checkpoint;
  maxCount?: number;
}

export interface SubscriptionFilter {
  /** Deliver only events whose stream name starts with one of these. */
  streamPrefixes: string[];
}

export interface SubscribeOptions {
  /** Exclusive: deliver events after this checkpoint. Omit to start from the beginning. */
  from?: Checkpoint;
  filter?: SubscriptionFilter;
  /** Largest batch handed to `handle`. */
  maxBatchSize?: number;
  /**
   * Receives events in global order, in non-empty batches. The next batch is not delivered until the returned
   * promise resolves; a rejection ends the subscription with that error.
   */
  handle(events: readonly RecordedEvent[]): Promise<void>;
}

export interface Subscription {
  /** Ends the subscription after the batch in hand, if any; resolves when nothing more will be delivered. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after `stop()`, rejects with the error that ended it. */
  readonly done: Promise<void>;
}

export interface EventStore {
  /**
   * Appends events to one stream atomically if the stream is at the expected revision.
   * Events whose ids the stream already holds are skipped, so a retried append is harmless.
   * @throws WrongExpectedVersionError when the stream is not at the expected revision.
   */
  append(
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;

  /** Reads one stream; a stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads a page of all events in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * The checkpoint of the last event committed so far in streams starting with one of `streamPrefixes`, or null
   * when there is none. A subscription may not have delivered it yet (on PostgreSQL it waits until every older
   * transaction has settled): a reader has caught up with what was committed once its checkpoint reaches this.
   */
  headCheckpoint(streamPrefixes: readonly string[]): Promise<Checkpoint | null>;

  /** Orders two checkpoints of this store: negative when `a` comes first, 0 when equal, positive after. */
  compareCheckpoints(a: Checkpoint, b: Checkpoint): number;

  /** Catches up from a checkpoint, then delivers new events as they are committed. */
  subscribe(options: SubscribeOptions): Subscription;

  close(): Promise<void>;
}
