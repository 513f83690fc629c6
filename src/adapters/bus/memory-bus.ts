import { silentLogger, type Logger } from '../../logger.js';
import { BusClosedError, NoResponderError, RemoteRequestError } from './bus-errors.js';
import type { JsonValue } from '../event-store/port.js';
import { createMemoryQueue, type Delivery, type MemoryQueue } from './memory-queue.js';
import type { Bus, BusMessage, BusSubscription } from './port.js';
import { createRecentIds } from './recent-ids.js';
import { subjectMatches } from './subject-pattern.js';

export interface MemoryBusOptions {
  /** How long a message id is remembered to drop a repeat. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** At most this many ids are remembered. Default 100,000. */
  maxRememberedIds?: number;
  /** The last messages kept for a queue that has no consumer yet, like a stream. Default 10,000. */
  retainedMessages?: number;
  /** Messages one consumer of a queue handles at the same time. Default 64. */
  consumeConcurrency?: number;
  logger?: Logger;
}

interface Subscriber {
  pattern: string;
  handler: (message: BusMessage, subject: string) => void;
  active: boolean;
}

/**
 * The bus for a single process (no NATS_URL): the same port, with fan-out, duplicate detection and work
 * queues kept in memory.
 *
 * @example
 * const bus = createMemoryBus();
 * await bus.subscribe('wa.acme.>', (message) => console.log(message.type));
 * await bus.publish(eventSubject('acme', 's1', 'MessageReceived'), message, message.eventId);
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const logger = options.logger ?? silentLogger;
  const servers = new Map<string, (request: JsonValue) => Promise<JsonValue>>();
  const recentIds = createRecentIds(
    options.duplicateWindowMs ?? 120_000,
    options.maxRememberedIds ?? 100_000,
  );
  const retainedMessages = options.retainedMessages ?? 10_000;
  const concurrency = options.consumeConcurrency ?? 64;
  const subscribers = new Set<Subscriber>();
  const queues = new Map<string, MemoryQueue>();
  const retained: Delivery[] = [];
  let closed = false;

  function deliver(subscriber: Subscriber, delivery: Delivery): void {
    // A microtask per delivery keeps publish order and keeps a throwing handler away from the publisher.
    queueMicrotask(() => {
      if (!subscriber.active) return;
      try {
        subscriber.handler(JSON.parse(delivery.payload) as BusMessage, delivery.subject);
      } catch (error) {
        logger.error({ err: error, subject: delivery.subject }, 'Bus subscriber failed');
      }
    });
  }

  return {
    publish(subject, message, messageId) {
      if (closed) return Promise.reject(new BusClosedError('publish'));
      if (!recentIds.add(messageId)) return Promise.resolve();
      const delivery = { subject, payload: JSON.stringify(message) };
      retained.push(delivery);
      if (retained.length > retainedMessages) retained.shift();
      for (const subscriber of subscribers)
        if (subjectMatches(subscriber.pattern, subject)) deliver(subscriber, delivery);
      for (const queue of queues.values()) queue.offer(delivery);
      return Promise.resolve();
    },

    subscribe(pattern, handler) {
      if (closed) return Promise.reject(new BusClosedError('subscribe'));
      const subscriber: Subscriber = { pattern, handler, active: true };
      subscribers.add(subscriber);
      return Promise.resolve(
        unsubscribeWith(() => {
          subscriber.active = false;
          subscribers.delete(subscriber);
        }),
      );
    },

    consume(queueName, pattern, handler, { retryDelayMs = 1000 } = {}) {
      if (closed) return Promise.reject(new BusClosedError('consume'));
      let queue = queues.get(queueName);
      if (!queue) {
        const backlog = retained.filter((delivery) => subjectMatches(pattern, delivery.subject));
        queue = createMemoryQueue(pattern, backlog, concurrency, logger);
        queues.set(queueName, queue);
      }
      queue.pattern = pattern;
      return Promise.resolve(unsubscribeWith(queue.addConsumer(handler, retryDelayMs)));
    },

    serve(subject, handler) {
      servers.set(subject, handler);
      return Promise.resolve({
        unsubscribe: () =>
          Promise.resolve(void (servers.get(subject) === handler && servers.delete(subject))),
      });
    },

    async request(subject, request) {
      const handler = servers.get(subject);
      if (!handler || closed) throw new NoResponderError(subject);
      // Through JSON, as over the wire: nothing is shared between requester and server.
      try {
        return JSON.parse(
          JSON.stringify(await handler(JSON.parse(JSON.stringify(request)) as JsonValue)),
        ) as JsonValue;
      } catch (error) {
        throw new RemoteRequestError(
          error instanceof Error ? error.name : 'Error',
          error instanceof Error ? error.message : String(error),
        );
      }
    },

    ping: () => Promise.resolve(!closed),

    close() {
      closed = true;
      for (const subscriber of subscribers) subscriber.active = false;
      subscribers.clear();
      for (const queue of queues.values()) queue.close();
      queues.clear();
      return Promise.resolve();
    },
  };
}

function unsubscribeWith(stop: () => void): BusSubscription {
  return {
    unsubscribe() {
      stop();
      return Promise.resolve();
    },
  };
}
