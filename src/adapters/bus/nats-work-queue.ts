import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  delay,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from 'nats';
import type { Logger } from '../../logger.js';
import { isBusMessage } from './bus-message.js';
import { isNatsApiError } from './nats-errors.js';
import { redeliverLater, type BusSubscription, type QueueHandler } from './port.js';

export interface WorkQueueOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  queue: string;
  pattern: string;
  handler: QueueHandler;
  retryDelayMs: number;
  concurrency: number;
  logger: Logger;
  /** How long the server waits for an answer before it hands a message to another consumer. Default 60 s. */
  ackWaitMs?: number;
}

const consumerNotFound = 10014;
const defaultAckWaitMs = 60_000;
/** How long one pull waits on the server; also the longest `unsubscribe` waits for a pull in flight. */
const pullExpiresMs = 1000;
const codec = JSONCodec<unknown>();

/**
 * Consumes a durable, explicitly acknowledged pull consumer. Each pull asks for no more messages than there
 * are free handler slots, so a process never holds messages it is not working on (another process may take
 * them). A new durable starts at the beginning of the stream: nothing published before it existed is lost.
 */
export async function startWorkQueue(options: WorkQueueOptions): Promise<BusSubscription> {
  const { js, stream, queue, logger } = options;
  const ackWaitMs = options.ackWaitMs ?? defaultAckWaitMs;
  await ensureDurable(options);
  const consumer = await js.consumers.get(stream, queue);
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let slotFreed: (() => void) | undefined;

  function handle(message: JsMsg): void {
    const decoded = codec.decode(message.data);
    if (!isBusMessage(decoded)) {
      logger.error({ subject: message.subject, queue }, 'Not a bus message: terminated');
      message.term();
      return;
    }
    // A handler may take longer than the ack wait (a send waiting for WhatsApp): telling the server it is still
    // being worked on keeps it from handing the message to another process meanwhile.
    const stillWorking = setInterval(() => message.working(), ackWaitMs / 4);
    const work = Promise.resolve()
      .then(() => options.handler(decoded, message.subject))
      .finally(() => clearInterval(stillWorking))
      .then(
        (outcome) => (outcome === redeliverLater ? message.nak(options.retryDelayMs) : message.ack()),
        (error: unknown) => {
          logger.warn(
            { err: error, subject: message.subject, queue },
            'Queue handler failed; will redeliver',
          );
          message.nak(options.retryDelayMs);
        },
      )
      .catch((error: unknown) => logger.error({ err: error, queue }, 'Could not acknowledge a message'))
      .finally(() => {
        inFlight.delete(work);
        slotFreed?.();
      });
    inFlight.add(work);
  }

  async function pullLoop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      if (inFlight.size >= options.concurrency) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      try {
        const batch = await consumer.fetch({
          max_messages: options.concurrency - inFlight.size,
          expires: pullExpiresMs,
        });
        for await (const message of batch) {
          if (stopped) message.nak();
          else handle(message);
        }
        failures = 0;
      } catch (error) {
        if (stopped) return;
        failures += 1;
        logger.warn({ err: error, queue }, 'Pulling from the work queue failed; retrying');
        await delay(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  const loop = pullLoop();
  return {
    async unsubscribe() {
      stopped = true;
      slotFreed?.();
      await loop;
      await Promise.all(inFlight);
    },
  };
}

async function ensureDurable({ jsm, stream, queue, pattern, ackWaitMs }: WorkQueueOptions): Promise<void> {
  const existing = await jsm.consumers.info(stream, queue).catch((error: unknown) => {
    if (isNatsApiError(error, consumerNotFound)) return null;
    throw error;
  });
  if (existing) {
    if (existing.config.filter_subject !== pattern)
      await jsm.consumers.update(stream, queue, { filter_subject: pattern });
    return;
  }
  await jsm.consumers.add(stream, {
    durable_name: queue,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: pattern,
    ack_wait: nanos(ackWaitMs ?? defaultAckWaitMs),
    max_deliver: -1,
  });
}
