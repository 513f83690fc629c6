import { eventSubject, type Bus, type BusMessage } from '../adapters/bus/port.js';
import type { EventStore, RecordedEvent, Subscription } from '../adapters/event-store/port.js';
import type { Logger } from '../logger.js';

/** Where the relay keeps how far it has published. */
export interface RelayCheckpoints {
  load(): Promise<string | null>;
  save(checkpoint: string): Promise<void>;
}

export interface RelayOptions {
  store: EventStore;
  bus: Bus;
  checkpoints: RelayCheckpoints;
  /** The subject of an event. Default `eventSubject` (`wa.<companyId>.<sessionId>.<EventType>`). */
  subject?: (companyId: string, sessionId: string, eventType: string) => string;
  logger: Logger;
  /** Streams whose events go on the bus. Default `session-` and `chat-`. */
  streamPrefixes?: string[];
  /** First wait after a failed publish or checkpoint save, doubled on each failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  maxBatchSize?: number;
}

export interface Relay {
  start(): Promise<void>;
  /** Stops after the event in hand; a batch not yet checkpointed is published again on the next start. */
  stop(): Promise<void>;
}

/**
 * Publishes every stored event on the bus, in order, from its own checkpoint. The checkpoint is saved only
 * after a batch is published, so a crash in between publishes the batch again, and the bus drops the repeats
 * by message id (the event id). A failing publish is retried until it succeeds: no event is ever skipped.
 *
 * @example
 * const relay = createRelay({ store, bus, checkpoints: relayCheckpoints(readModels), logger });
 * await relay.start();
 */
export function createRelay(options: RelayOptions): Relay {
  const { store, bus, checkpoints, logger } = options;
  const subject = options.subject ?? eventSubject;
  const firstDelayMs = options.retryDelayMs ?? 100;
  const maxDelayMs = options.maxRetryDelayMs ?? 5000;
  let subscription: Subscription | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** Runs `attempt` until it succeeds (true) or the relay is stopping (false). */
  async function untilDone(what: string, details: object, attempt: () => Promise<void>): Promise<boolean> {
    for (let failures = 0; !stopping; failures++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        logger.warn({ err: error, ...details, failures: failures + 1 }, `Relay: ${what} failed; retrying`);
        if (stopping) break;
        await pause(Math.min(maxDelayMs, firstDelayMs * 2 ** failures));
      }
    }
    return false;
  }

  async function relay(events: readonly RecordedEvent[]): Promise<void> {
    const outgoing = events.map((event) => {
      const message = toBusMessage(event);
      return { event, message, to: subject(message.companyId, message.sessionId, event.type) };
    });
    // Streams are published side by side, each stream's events one after another: a failed publish is retried
    // before the next event of its stream goes, so no chat's events ever reach the bus out of order.
    const chains = new Map<string, Promise<boolean>>();
    for (const { event, message, to } of outgoing) {
      const previous = chains.get(event.streamName) ?? Promise.resolve(true);
      chains.set(
        event.streamName,
        previous.then(
          (published) =>
            published &&
            untilDone('publish', { eventId: event.id, subject: to }, () =>
              bus.publish(to, message, event.id),
            ),
        ),
      );
    }
    const published = await Promise.all(chains.values());
    if (published.includes(false)) return;
    const checkpoint = events.at(-1)!.checkpoint;
    await untilDone('checkpoint save', { checkpoint }, () => checkpoints.save(checkpoint));
  }

  return {
    async start() {
      if (subscription) return;
      stopping = false;
      const from = await checkpoints.load();
      const started = store.subscribe({
        ...(from ? { from } : {}),
        filter: { streamPrefixes: options.streamPrefixes ?? ['session-', 'chat-'] },
        ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
        handle: relay,
      });
      started.done.catch((error: unknown) => logger.error({ err: error }, 'The relay stopped'));
      subscription = started;
    },

    async stop() {
      stopping = true;
      wake?.();
      const current = subscription;
      subscription = undefined;
      await current?.stop();
    },
  };
}

function toBusMessage(event: RecordedEvent): BusMessage {
  const { companyId, sessionId } = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    revision: event.revision.toString(),
    position: event.position.toString(),
    companyId: typeof companyId === 'string' ? companyId : '',
    sessionId: typeof sessionId === 'string' ? sessionId : '',
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}
