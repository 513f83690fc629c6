import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from '../adapters/event-store/errors.js';
import type { EventStore, EventToAppend, JsonObject } from '../adapters/event-store/port.js';
import type { DomainEvent } from '../domain/decider.js';
import { whatsappFactEventId } from '../domain/deterministic-id.js';
import type { EventMetadata } from '../domain/event-metadata.js';
import type { EventStreamType } from '../domain/event-stream.js';
import type { CommandContext } from './command-context.js';
import { createStreamStates, type StreamStatesOptions } from './stream-states.js';
import { createKeyedQueue } from './keyed-queue.js';

export class ConcurrencyRetriesExhaustedError extends Error {
  override readonly name = 'ConcurrencyRetriesExhaustedError';

  constructor(
    readonly streamName: string,
    readonly attempts: number,
    override readonly cause: WrongExpectedVersionError,
  ) {
    super(`Stream ${streamName} kept changing under ${attempts} attempts to write to it`);
  }
}

export interface HandledCommand<State, Event> {
  /** The events this command appended; empty when it changed nothing or was a duplicate. */
  events: (Event & { id: string; metadata: EventMetadata })[];
  /** The stream's state after the command. */
  state: State;
  /** The stream's last revision after the command; null while the stream does not exist. */
  revision: bigint | null;
  /** The store's checkpoint just after the events appended, when there were any. */
  checkpoint?: string;
}

export interface CommandHandlerOptions extends StreamStatesOptions {
  /** Attempts before a version conflict is given up on. */
  maxAttempts?: number;
  clock?: () => Date;
}

export interface LoadedStream<State> {
  state: State;
  /** The stream's last revision; null while the stream does not exist. */
  revision: bigint | null;
}

export interface CommandHandler {
  <State, Command, Event extends DomainEvent>(
    streamType: EventStreamType<State, Command, Event>,
    streamName: string,
    command: Command,
    context: CommandContext,
  ): Promise<HandledCommand<State, Event>>;
  /**
   * A stream's current state, as decisions see it: the state this process holds (else the latest snapshot)
   * brought up to date with the events after it. Never folds a long stream from its start.
   */
  load<State, Command, Event extends DomainEvent>(
    streamType: EventStreamType<State, Command, Event>,
    streamName: string,
  ): Promise<LoadedStream<State>>;
}

/**
 * Load the stream, decide, append with the revision that was read; if another writer got there first,
 * do it all again on the newer history, a bounded number of times.
 *
 * @example
 * const handle = createCommandHandler(store);
 * await handle(sessionStream, sessionStreamName(id), { type: 'StartSession', sessionId: id }, context);
 */
export function createCommandHandler(store: EventStore, options: CommandHandlerOptions = {}): CommandHandler {
  const maxAttempts = options.maxAttempts ?? 5;
  const clock = options.clock ?? (() => new Date());

  // Writers to one stream in this process take turns: they would only collide and retry otherwise.
  const turns = createKeyedQueue();
  const states = createStreamStates(store, options);
  const handle = (<State, Command, Event extends DomainEvent>(
    streamType: EventStreamType<State, Command, Event>,
    streamName: string,
    command: Command,
    context: CommandContext,
  ) =>
    turns.run(streamName, () => decideAndAppend(streamType, streamName, command, context))) as CommandHandler;
  // Other processes may have written since this one cached the state: the events after it are read (usually
  // none, in one indexed query), so that what the caller sees is current.
  handle.load = (streamType, streamName) =>
    turns.run(streamName, async () => {
      const { state, revision } = await states.catchUp(streamType, streamName, states.cached(streamName));
      return { state, revision };
    });
  return handle;

  async function decideAndAppend<State, Command, Event extends DomainEvent>(
    streamType: EventStreamType<State, Command, Event>,
    streamName: string,
    command: Command,
    context: CommandContext,
  ): Promise<HandledCommand<State, Event>> {
    const { decider } = streamType;
    let trustCache = true;
    for (let attempts = 0; ;) {
      // A cached state is trusted at first: the append's expected revision proves it was current. Otherwise, or
      // once that proof failed, only the events after the cached state are read, not the whole stream.
      const cached = states.cached<State>(streamName);
      const loaded = cached && trustCache ? cached : await states.catchUp(streamType, streamName, cached);
      let state = loaded.state;
      const current = loaded.revision;
      const unproven = cached !== undefined && trustCache;
      let decided: Event[];
      try {
        decided = decider.decide(command, state);
      } catch (refusal) {
        // A refusal on a cached state may only mean the cache is behind: decide again on what the store holds.
        if (!unproven) throw refusal;
        trustCache = false;
        continue;
      }
      if (decided.length === 0 && unproven) {
        // Nothing to append means nothing proves the cache current either.
        trustCache = false;
        continue;
      }
      if (decided.length === 0) return { events: [], state, revision: current };

      const recordedAt = clock().toISOString();
      const events = decided.map((event) => {
        const id = context.factKey
          ? whatsappFactEventId(context.sessionId, context.factKey, event.type)
          : randomUUID();
        const metadata: EventMetadata = {
          eventId: id,
          companyId: context.companyId,
          sessionId: context.sessionId,
          correlationId: context.correlationId,
          causationId: context.causationId,
          actor: context.actor,
          recordedAt,
          schemaVersion: streamType.schemaVersion,
        };
        return { ...event, id, metadata };
      });
      const expected = current ?? 'no_stream';
      try {
        const result = await store.append(streamName, events.map(toAppend), expected);
        const revision = result.nextExpectedRevision < 0n ? null : result.nextExpectedRevision;
        if (result.appended === 0) return { events: [], state, revision };
        const checkpoint = result.checkpoint === undefined ? {} : { checkpoint: result.checkpoint };
        for (const event of events) state = decider.evolve(state, event);
        if (result.appended === events.length) {
          states.remember(streamType, streamName, {
            revision: revision!,
            state,
            snapshotAt: loaded.snapshotAt,
          });
        }
        return { events, state, revision, ...checkpoint };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // A stale cache is not a conflict with another writer: read what changed and decide again.
        if (trustCache) {
          trustCache = false;
          continue;
        }
        if (++attempts >= maxAttempts)
          throw new ConcurrencyRetriesExhaustedError(streamName, attempts, error);
        await jitter(attempts);
      }
    }
  }
}

function toAppend(event: DomainEvent & { id: string; metadata: EventMetadata }): EventToAppend {
  return {
    id: event.id,
    type: event.type,
    data: event.data as JsonObject,
    metadata: event.metadata,
  };
}

/** Writers that collided would collide again if they retried in lockstep. */
function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
}
