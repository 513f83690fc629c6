import {
  connect,
  deadline,
  DeliverPolicy,
  ErrorCode,
  Events,
  JSONCodec,
  NatsError,
  type NatsConnection,
} from 'nats';
import type { JsonValue } from '../event-store/port.js';
import { BusDisconnectedError, NoResponderError, RemoteRequestError } from './bus-errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import { isBusMessage } from './bus-message.js';
import { ensureStream } from './nats-stream.js';
import { startWorkQueue } from './nats-work-queue.js';
import type { Bus, BusSubscription } from './port.js';

export interface NatsBusOptions {
  url: string;
  /** The JetStream stream that keeps the events. Default `ZAPLEDGER`. */
  streamName?: string;
  /** The first token of every subject. Default `wa` (what `eventSubject` produces). */
  subjectRoot?: string;
  /** The stream's subjects. Default `<subjectRoot>.>`. */
  subjects?: string[];
  /** How long the stream keeps a message, in ms. Default 7 days. */
  maxAge?: number;
  /** The stream's size limit in bytes. Default unlimited. */
  maxBytes?: number;
  /** Within this window (ms) a repeated message id is dropped. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Messages one `consume` handles at the same time (each chat still one at a time, in order). Default 64. */
  consumeConcurrency?: number;
  logger?: Logger;
}

const codec = JSONCodec<unknown>();

/**
 * The bus on NATS JetStream: connects, makes sure the stream exists with the configured subjects and limits,
 * and reconnects by itself for as long as the process runs.
 *
 * @example
 * const bus = await createNatsBus({ url: 'nats://127.0.0.1:4222', logger });
 * await bus.consume('outbox-sender', 'wa.*.*.MessageSendRequested', sendMessage);
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const logger = options.logger ?? silentLogger;
  const streamName = options.streamName ?? 'ZAPLEDGER';
  const nc = await connect({
    servers: options.url,
    maxReconnectAttempts: -1,
    // A live process is back on the server within about a second of it: another process waits longer than
    // that before taking it for gone (process-presence.ts).
    reconnectTimeWait: 1000,
    reconnectJitter: 100,
    name: 'zapledger',
    // Each publish is a request; capturing a stack trace for every one of them cost more than the publish.
    noAsyncTraces: true,
  });
  const connection = { up: true };
  logStatus(nc, logger, connection).catch((error: unknown) =>
    logger.error({ err: error }, 'NATS status stream failed'),
  );
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  try {
    await ensureStream(
      jsm,
      {
        name: streamName,
        subjects: options.subjects ?? [`${options.subjectRoot ?? 'wa'}.>`],
        maxAgeMs: options.maxAge ?? 7 * 24 * 3600_000,
        maxBytes: options.maxBytes ?? -1,
        duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      },
      logger,
    );
  } catch (error) {
    await nc.close();
    throw error;
  }
  const subscriptions = new Set<BusSubscription>();
  const track = (subscription: BusSubscription): BusSubscription => {
    subscriptions.add(subscription);
    return {
      async unsubscribe() {
        subscriptions.delete(subscription);
        await subscription.unsubscribe();
      },
    };
  };

  return {
    async publish(subject, message, messageId) {
      await js.publish(subject, codec.encode(message), { msgID: messageId, expect: { streamName } });
    },

    async subscribe(pattern, handler) {
      // An ordered consumer is ephemeral and per process (fan-out) and is recreated by the client after a gap
      // or a reconnect; New: only what is published from now on.
      const consumer = await js.consumers.get(streamName, {
        filterSubjects: pattern,
        deliver_policy: DeliverPolicy.New,
      });
      const messages = await consumer.consume({
        callback: (message) => {
          const decoded = codec.decode(message.data);
          if (!isBusMessage(decoded)) return logger.warn({ subject: message.subject }, 'Not a bus message');
          try {
            handler(decoded, message.subject);
          } catch (error) {
            logger.error({ err: error, subject: message.subject }, 'Bus subscriber failed');
          }
        },
      });
      return track({
        async unsubscribe() {
          await messages.close();
          await consumer.delete().catch(() => undefined);
        },
      });
    },

    async consume(queue, pattern, handler, { retryDelayMs = 1000 } = {}) {
      const subscription = await startWorkQueue({
        js,
        jsm,
        stream: streamName,
        queue,
        pattern,
        handler,
        retryDelayMs,
        concurrency: options.consumeConcurrency ?? 64,
        logger,
      });
      return track(subscription);
    },

    async serve(subject, handler) {
      const subscription = nc.subscribe(subject, {
        callback: (error, message) => {
          if (error) return logger.warn({ err: error, subject }, 'Request subscription failed');
          void handler(codec.decode(message.data) as JsonValue).then(
            (reply) => message.respond(codec.encode({ reply })),
            (failure: unknown) =>
              message.respond(
                codec.encode({
                  error: {
                    name: failure instanceof Error ? failure.name : 'Error',
                    message: failure instanceof Error ? failure.message : String(failure),
                  },
                }),
              ),
          );
        },
      });
      // Once the server has the subscription, a request from any connection reaches it: wait for that (one
      // round trip), but not through an outage, when the subscription is sent again on reconnecting.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        nc.flush().catch(() => undefined),
        new Promise((resolve) => (waited = setTimeout(resolve, 1000))),
      ]);
      clearTimeout(waited);
      return track({ unsubscribe: () => Promise.resolve(subscription.unsubscribe()) });
    },

    async request(subject, request, timeoutMs) {
      if (!connection.up) throw new BusDisconnectedError(`ask ${subject}`);
      let answer;
      try {
        answer = await nc.request(subject, codec.encode(request), { timeout: timeoutMs });
      } catch (error) {
        if (error instanceof NatsError && error.code === String(ErrorCode.NoResponders))
          throw new NoResponderError(subject);
        throw error;
      }
      const decoded = codec.decode(answer.data) as {
        reply?: JsonValue;
        error?: { name: string; message: string };
      };
      if (decoded.error) throw new RemoteRequestError(decoded.error.name, decoded.error.message);
      return decoded.reply ?? null;
    },

    async ping() {
      if (nc.isClosed()) return false;
      return deadline(nc.flush(), 2000).then(
        () => true,
        () => false,
      );
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.unsubscribe()));
      subscriptions.clear();
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

async function logStatus(nc: NatsConnection, logger: Logger, connection: { up: boolean }): Promise<void> {
  for await (const status of nc.status()) {
    const details = { server: status.data };
    if (status.type === Events.Disconnect) {
      connection.up = false;
      logger.warn(details, 'NATS disconnected; reconnecting');
    } else if (status.type === Events.Reconnect) {
      connection.up = true;
      logger.info(details, 'NATS reconnected');
    } else if (status.type === Events.LDM) logger.warn(details, 'NATS server entering lame duck mode');
    else if (status.type === Events.Error) logger.error(details, 'NATS connection error');
  }
}
