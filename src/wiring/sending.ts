import type { Bus } from '../adapters/bus/port.js';
import { createPostgresIdempotencyStore } from '../adapters/db/postgres-idempotency-store.js';
import { createPostgresMediaStore } from '../adapters/db/postgres-media-store.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { CommandHandler } from '../app/command-handler.js';
import { watchConnectedHere } from '../app/connected-here.js';
import { createOutboxSender } from '../app/outbox-sender.js';
import { createSendOutcomes } from '../app/send-outcomes.js';
import { createSendPacing } from '../app/send-pacing.js';
import { createMessageSending } from '../app/send-message.js';
import type { SessionLeases } from '../app/session-leases.js';
import type { SessionSupervisor } from '../app/session-supervisor.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { pendingSends } from '../projections/messages/pending-sends.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import { storedSendOutcome } from '../projections/messages/send-outcome.js';
import type { EventStorage } from './event-storage.js';
import type { GatewayOptions } from './gateway-types.js';

/**
 * Sending: the use case the API calls (idempotency, the reply once WhatsApp took it or the wait ends), the send
 * outcomes from any process, and the outbox that talks to WhatsApp for the sessions this process runs.
 */
export function wireSending(
  storage: EventStorage,
  deps: {
    config: Config;
    bus: Bus;
    subjectRoot: string;
    handle: CommandHandler;
    supervisor: SessionSupervisor;
    leases: SessionLeases;
    metrics: PrometheusMetrics;
    logger: Logger;
    outbox: GatewayOptions['outbox'];
  },
) {
  const { db, store, committed } = storage;
  const { config, bus, supervisor, logger } = deps;
  const media = createPostgresMediaStore(db);
  const outcomes = createSendOutcomes(bus, deps.subjectRoot, (sessionId, messageId) =>
    storedSendOutcome(db, sessionId, messageId),
  );
  committed.listen((events) => outcomes.settleFrom(events));
  const sendMessage = createMessageSending({
    handle: deps.handle,
    idempotency: createPostgresIdempotencyStore(db),
    outcomes,
    timeoutMs: config.SEND_TIMEOUT_MS,
  });
  const outbox = createOutboxSender({
    bus,
    subjectRoot: deps.subjectRoot,
    store,
    handle: deps.handle,
    driverSession: (sessionId) => supervisor.driverSession(sessionId),
    runsElsewhere: async (sessionId) =>
      !supervisor.driverSession(sessionId) && (await deps.leases.isHeld(sessionId)),
    pacing: createSendPacing({
      ratePerSecond: config.SEND_RATE_PER_SESSION,
      burst: config.SEND_BURST_PER_SESSION,
      minIntervalPerChatMs: config.SEND_MIN_INTERVAL_PER_CHAT_MS,
    }),
    maxAttempts: config.SEND_MAX_ATTEMPTS,
    media,
    logger,
    metrics: deps.metrics,
    ...deps.outbox,
  });
  committed.listen((events) => outbox.takeUpCommitted(events));
  // A session restored here (its process died) sends what waited for it at once, not after the queue's timeout.
  const stopWatchingConnections = watchConnectedHere(
    committed,
    supervisor,
    (_connected, sessionId) =>
      void pendingSends(db, sessionId)
        .then((pending) => outbox.takeUpConnected(pending))
        .catch((error: unknown) =>
          logger.warn({ err: error, sessionId }, 'Could not take up sends left pending'),
        ),
  );

  return {
    media,
    sendMessage,
    outcomes,
    outbox,
    /** Starts the outcomes' subscription (before the API answers sends). */
    startOutcomes: () => outcomes.start(),
    startOutbox: () => outbox.start(),
    /** Takes up the sends a stopped process left pending, once the read models caught up (in the background). */
    takeUpPending(runner: ProjectionRunner): void {
      void (async () => {
        await runner.waitUntilCaughtUp(60_000);
        const pending = await pendingSends(db);
        if (pending.length) logger.info({ messages: pending.length }, 'Taking up sends left pending');
        await outbox.recover(pending);
      })().catch((error: unknown) => logger.error({ err: error }, 'Could not take up pending sends'));
    },
    async stop(): Promise<void> {
      stopWatchingConnections();
      await outbox.stop();
      await outcomes.stop();
    },
  };
}
