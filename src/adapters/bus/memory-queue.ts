import type { Logger } from '../../logger.js';
import { redeliverLater, type BusMessage, type QueueHandler } from './port.js';
import { subjectMatches } from './subject-pattern.js';

/** A published message as the memory bus keeps it: serialized, as it would travel over the network. */
export interface Delivery {
  subject: string;
  payload: string;
}

/** One durable work queue of the memory bus. */
export interface MemoryQueue {
  pattern: string;
  /** Takes the delivery if its subject matches the queue's pattern. */
  offer(delivery: Delivery): void;
  /** Adds a consumer; the returned function removes it. */
  addConsumer(handler: QueueHandler, retryDelayMs: number): () => void;
  close(): void;
}

interface Consumer {
  handler: QueueHandler;
  retryDelayMs: number;
  inFlight: number;
}

/**
 * Hands each message to one consumer at a time (round robin among those below `concurrency` in flight);
 * a rejected message goes back to the head of the queue after the consumer's retry delay. Messages wait
 * while no consumer is there.
 */
export function createMemoryQueue(
  pattern: string,
  backlog: readonly Delivery[],
  concurrency: number,
  logger: Logger,
): MemoryQueue {
  const pending: Delivery[] = [...backlog];
  const consumers: Consumer[] = [];
  const retries = new Set<NodeJS.Timeout>();
  let turn = 0;
  let closed = false;

  function freeConsumer(): Consumer | undefined {
    for (let i = 0; i < consumers.length; i++) {
      const consumer = consumers[(turn + i) % consumers.length]!;
      if (consumer.inFlight < concurrency) {
        turn = (turn + i + 1) % consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  function dispatch(): void {
    while (!closed && pending.length > 0) {
      const consumer = freeConsumer();
      if (!consumer) return;
      handle(consumer, pending.shift()!);
    }
  }

  function handle(consumer: Consumer, delivery: Delivery): void {
    consumer.inFlight += 1;
    const redeliver = () => {
      const timer = setTimeout(() => {
        retries.delete(timer);
        pending.unshift(delivery);
        dispatch();
      }, consumer.retryDelayMs);
      retries.add(timer);
    };
    Promise.resolve()
      .then(() => consumer.handler(JSON.parse(delivery.payload) as BusMessage, delivery.subject))
      .then(
        (outcome) => {
          if (outcome === redeliverLater) redeliver();
        },
        (error: unknown) => {
          logger.warn(
            { err: error, subject: delivery.subject },
            'Queue handler failed; the message will be redelivered',
          );
          redeliver();
        },
      )
      .finally(() => {
        consumer.inFlight -= 1;
        dispatch();
      });
  }

  const queue: MemoryQueue = {
    pattern,
    offer(delivery) {
      if (!subjectMatches(queue.pattern, delivery.subject)) return;
      pending.push(delivery);
      dispatch();
    },
    addConsumer(handler, retryDelayMs) {
      const consumer: Consumer = { handler, retryDelayMs, inFlight: 0 };
      consumers.push(consumer);
      dispatch();
      return () => {
        const index = consumers.indexOf(consumer);
        if (index >= 0) consumers.splice(index, 1);
      };
    },
    close() {
      closed = true;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
    },
  };
  return queue;
}
