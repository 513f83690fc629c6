import { eventSubject, type Bus } from '../adapters/bus/port.js';
import type { EventStore, RecordedEvent, Subscription } from '../adapters/event-store/port.js';
import type { Logger } from '../logger.js';
import { busMessageOf } from './bus-message-of.js';
import { withTimeout } from './supervisor-timing.js';

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
  /** Most handed-over events remembered until the catch-up reaches them. */
  maxHandedOver?: number;
  /** How long `stop` waits for handed-over events to be published. Default 5 s. */
  drainMs?: number;
  /**
   * Awaited before a caught-up batch is published: where the read models follow the store by subscription
   * (EventStoreDB), so that no frame reaches a client before the reads show its event.
   */
  beforePublish?: (checkpoint: string) => Promise<unknown>;
}

export interface Relay {
  /** Publishes events this process has just stored, at once, without reading them back from the store. */
  handOver(events: readonly RecordedEvent[]): void;
  start(): Promise<void>;
  /** Stops after the event in hand; a batch not yet checkpointed is published again on the next start. */
  stop(): Promise<void>;
  /** Stops the catch-up only (another process took it over); hand-over goes on. */
  stopCatchUp(): Promise<void>;
}

/**
 * Publishes every stored event on the bus, in order: those this process stored as soon as they are handed
 * over, and, as a catch-up from its own checkpoint, all the others (other processes', or what a crash kept from
 * being handed over). The checkpoint is saved only after a batch is published, so a crash in between publishes
 * the batch again, and the bus drops the repeats by message id (the event id). A failing publish is retried until it succeeds: no event is ever skipped.
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
  const drainMs = options.drainMs ?? 5000;
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

  // Each stream's publications in a chain, so that its events reach the bus in order; a failed publish is
  // retried before the next event of its stream goes, and other streams go on meanwhile.
  const tails = new Map<string, Promise<boolean>>();
  // Events this process stored, published as they committed: the catch-up waits for that publication rather
  // than publishing them again. Bounded: past it, the catch-up publishes again and the bus drops the repeat.
  const handedOver = new Map<string, Promise<boolean>>();
  const maxHandedOver = options.maxHandedOver ?? 50_000;
  const prefixes = options.streamPrefixes ?? ['session-', 'chat-'];
  let stopCatchingUp: () => void = () => undefined;
  let catchUpStopped: Promise<void> = new Promise(() => undefined);
  // Hand-overs still waiting for the bus: past the cap (a long NATS outage), new ones are left to the catch-up.
  let handOversPending = 0;
  const maxHandOversPending = options.maxHandedOver ?? 50_000;

  function publishInOrder(event: RecordedEvent): Promise<boolean> {
    const message = busMessageOf(event);
    const to = subject(message.companyId, message.sessionId, event.type);
    const previous = tails.get(event.streamName) ?? Promise.resolve(true);
    const next = previous.then(
      (published) =>
        published &&
        untilDone('publish', { eventId: event.id, subject: to }, () => bus.publish(to, message, event.id)),
    );
    tails.set(event.streamName, next);
    void next.then(() => {
      if (tails.get(event.streamName) === next) tails.delete(event.streamName);
    });
    return next;
  }

  async function relay(events: readonly RecordedEvent[]): Promise<void> {
    await options.beforePublish?.(events.at(-1)!.checkpoint);
    // A catch-up told to stop (another process took it over, or the gateway stops) does not wait for a bus out
    // of reach: the batch is left unpublished and uncheckpointed, for whoever catches up next.
    const published = await Promise.race([
      Promise.all(
        events.map((event) => {
          const handed = handedOver.get(event.id);
          handedOver.delete(event.id);
          return handed ?? publishInOrder(event);
        }),
      ),
      catchUpStopped.then(() => [false]),
    ]);
    if (published.includes(false)) return;
    const checkpoint = events.at(-1)!.checkpoint;
    await untilDone('checkpoint save', { checkpoint }, () => checkpoints.save(checkpoint));
  }

  return {
    handOver(events) {
      if (stopping) return;
      for (const event of events) {
        if (!prefixes.some((prefix) => event.streamName.startsWith(prefix))) continue;
        if (handOversPending >= maxHandOversPending) return;
        handOversPending++;
        const published = publishInOrder(event);
        void published.finally(() => handOversPending--);
        handedOver.set(event.id, published);
        if (handedOver.size > maxHandedOver) handedOver.delete(handedOver.keys().next().value!);
      }
    },

    async start() {
      if (subscription) return;
      catchUpStopped = new Promise<void>((resolve) => (stopCatchingUp = resolve));
      stopping = false;
      const from = await checkpoints.load();
      const started = store.subscribe({
        ...(from ? { from } : {}),
        filter: { streamPrefixes: prefixes },
        ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
        handle: relay,
      });
      started.done.catch((error: unknown) => logger.error({ err: error }, 'The relay stopped'));
      subscription = started;
    },

    async stopCatchUp() {
      const current = subscription;
      subscription = undefined;
      stopCatchingUp();
      await current?.stop();
    },

    async stop() {
      // What was handed over is published before the relay stops, unless the bus stays out of reach.
      await withTimeout(Promise.all(tails.values()), drainMs).catch(() => undefined);
      stopping = true;
      wake?.();
      stopCatchingUp();
      const current = subscription;
      subscription = undefined;
      await current?.stop();
    },
  };
}
