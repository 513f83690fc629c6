import type { JsonValue } from '../event-store/port.js';

/**
 * The bus port: fans stored events out to every gateway process (WebSocket clients) and feeds work queues
 * (the outbox sender). NATS JetStream in production; an in-process bus when NATS_URL is unset.
 */

/** What travels on the bus: a stored event, as the relay publishes it. */
export interface BusMessage {
  eventId: string;
  type: string;
  streamName: string;
  /** Stream revision and global position, as decimal strings. */
  revision: string;
  position: string;
  companyId: string;
  sessionId: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

/**
 * What a work-queue handler answers to have a message again after the retry delay without it counting as a
 * failure: the work goes on elsewhere (a send being paced), and the message stays queued until it is done.
 */
export const redeliverLater = 'redeliver-later';
export type QueueHandler = (message: BusMessage, subject: string) => Promise<void | typeof redeliverLater>;

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

export interface Bus {
  /**
   * Publishes a message on `subject`. `messageId` makes a repeat harmless: the bus drops a message whose id it
   * has already taken (within its duplicate window).
   */
  publish(subject: string, message: BusMessage, messageId: string): Promise<void>;

  /**
   * Delivers every message published from now on whose subject matches `pattern` (NATS wildcards: `*` one token,
   * `>` the rest), to this process only. Each process that subscribes gets its own copy (fan-out).
   */
  subscribe(
    pattern: string,
    handler: (message: BusMessage, subject: string) => void,
  ): Promise<BusSubscription>;

  /**
   * A durable work queue: each message matching `pattern` is handed to one consumer of `queue` among all
   * processes, redelivered if the handler fails or the process dies before acknowledging it.
   * The handler's promise acknowledges (resolve) or asks for redelivery after `retryDelayMs` (reject).
   */
  consume(
    queue: string,
    pattern: string,
    handler: QueueHandler,
    options?: { retryDelayMs?: number },
  ): Promise<BusSubscription>;

  /**
   * Answers requests sent to `subject` (core messaging, nothing kept): a control channel to one process, such as
   * the simulator's phones of the sessions it runs. The handler's rejection is the requester's rejection.
   */
  serve(subject: string, handler: (request: JsonValue) => Promise<JsonValue>): Promise<BusSubscription>;

  /** Asks whoever serves `subject`; rejects after `timeoutMs`, or at once when nobody serves it. */
  request(subject: string, request: JsonValue, timeoutMs: number): Promise<JsonValue>;

  /** Whether the bus answers (for the readiness probe). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// Subjects escape every id; the helpers live beside the port, in one place.
export { eventPattern, eventSubject, idFromSubjectToken, subjectToken } from './subject-token.js';
