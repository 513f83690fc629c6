import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createMemoryBus } from './adapters/bus/memory-bus.js';
import { createNatsBus } from './adapters/bus/nats-bus.js';
import { eventPattern, eventSubject, type Bus } from './adapters/bus/port.js';
import { migrateToLatest } from './adapters/db/migrate.js';
import { openDatabase } from './adapters/db/open-database.js';
import { readModelDb } from './adapters/db/read-model-db.js';
import { openEventStore } from './adapters/event-store/open-event-store.js';
import type { SimulatorDriver } from './adapters/whatsapp/simulator/simulator-driver.js';
import type { SimulatorSettings } from './adapters/whatsapp/simulator/simulator-settings.js';
import { jwtKeys } from './api/auth/jwt-verifier.js';
import { buildApp } from './api/build-app.js';
import { createCommandHandler } from './app/command-handler.js';
import { createOutboxSender, type OutboxSenderOptions } from './app/outbox-sender.js';
import { createCommittedEvents } from './app/committed-events.js';
import { waitingForProjections } from './app/waiting-for-projections.js';
import { createRelay } from './app/relay.js';
import { createMessageSending } from './app/send-message.js';
import { deadOwnersOnThisHost, leaseOwnerId } from './app/lease-owner.js';
import { confirmStopped } from './app/stop-confirmation.js';
import { processIsGone, servePresence } from './app/process-presence.js';
import { replaySpool } from './app/durable-fact-recording.js';
import { openFileFactSpool } from './adapters/spool/file-fact-spool.js';
import { runAsSingleton } from './app/singleton.js';
import { clusterSimulatorControls } from './app/cluster-simulator.js';
import { sessionDriverCalls } from './app/session-driver-calls.js';
import { createNumberCheck } from './app/number-check.js';
import { autoRead } from './app/auto-read.js';
import { createMediaDownloads } from './app/media-downloads.js';
import { createPostgresBlobStore } from './adapters/db/postgres-blob-store.js';
import { createPostgresSingletonLeases } from './adapters/db/postgres-singleton-leases.js';
import { createSendOutcomes } from './app/send-outcomes.js';
import { createSendPacing } from './app/send-pacing.js';
import { createPostgresIdempotencyStore } from './adapters/db/postgres-idempotency-store.js';
import { createPostgresMediaStore } from './adapters/db/postgres-media-store.js';
import { createPostgresSessionLeases } from './adapters/db/postgres-session-leases.js';
import { createPostgresSnapshotStore } from './adapters/db/postgres-snapshot-store.js';
import { createSessionSupervisor, type SessionSupervisor } from './app/session-supervisor.js';
import type { Config } from './config.js';
import { openDriver } from './open-driver.js';
import { loadOrCreateJwtSecret } from './jwt-secret-file.js';
import { createLogger } from './logger.js';
import { allProjectors } from './projections/all-projectors.js';
import { inlineProjection } from './projections/inline-projection.js';
import { createProjectionRunner } from './projections/projection-runner.js';
import { relayCheckpoints } from './projections/queries/relay-checkpoints.js';
import { countPendingSends, pendingSends } from './projections/messages/pending-sends.js';
import { projectionLag } from './projections/projection-lag.js';
import { sessionsByStatus } from './projections/sessions/sessions-by-status.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { countedAppends } from './app/counted-appends.js';
import { storedSendOutcome } from './projections/messages/send-outcome.js';
import {
  liveOwnerOf,
  recordHeartbeats,
  sessionsAskedToStop,
  sessionsToRestore,
} from './projections/sessions/session-supervision.js';
import { withTimeout } from './app/supervisor-timing.js';

export interface GatewayOptions {
  /** First token of bus subjects, instead of NATS_SUBJECT_PREFIX (tests use their own, to share a NATS server). */
  subjectRoot?: string;
  simulatorSettings?: Partial<SimulatorSettings>;
  outbox?: Partial<Pick<OutboxSenderOptions, 'retryInitialMs' | 'retryMaxMs' | 'ownerWaitMs' | 'echoWaitMs'>>;
}

export interface Gateway {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  supervisor: SessionSupervisor;
  simulator: SimulatorDriver | undefined;
  /** The process's metrics; other parts (the webhook worker) report through it. */
  metrics: PrometheusMetrics;
  /** The HS256 secret in use, when the gateway signs its own tokens (not with JWT_PUBLIC_KEY). */
  jwtSecret: string | undefined;
  jwtSecretCreated: boolean;
  stop(): Promise<void>;
}

/**
 * Wires every adapter the configuration names, applies migrations, starts projections, relay, API and
 * supervisor, then restores the sessions that were running. `stop` undoes it all in reverse order.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config);
  await migrateToLatest(database.db);
  const db = readModelDb(database.db);
  const committed = createCommittedEvents(logger);
  const projectInline = inlineProjection(allProjectors);
  // On PostgreSQL the read models are written in the transaction of the events they come from (DESIGN.md,
  // "Consistency"); EventStoreDB has no such transaction, and its projections follow by subscription.
  const inline = config.EVENT_STORE !== 'eventstoredb';
  const metrics = createPrometheusMetrics(logger);
  const store = countedAppends(
    await openEventStore(config, database, {
      onTransientError: (error) => logger.warn({ err: error }, 'Event store read failed; retrying'),
      hooks: {
        withinTransaction: (trx, events) => projectInline(readModelDb(trx), events),
        afterCommit: (events) => committed.publish(events),
      },
    }),
    (count) => metrics.eventsAppended(count),
  );
  const subjectRoot = options.subjectRoot ?? config.NATS_SUBJECT_PREFIX;
  const bus: Bus = config.NATS_URL
    ? await createNatsBus({
        url: config.NATS_URL,
        streamName: config.NATS_STREAM,
        subjectRoot,
        maxAge: config.NATS_STREAM_MAX_AGE_HOURS * 3_600_000,
        maxBytes: config.NATS_STREAM_MAX_BYTES,
        logger,
      })
    : createMemoryBus();
  const { driver, simulator } = await openDriver(config, database, logger, options.simulatorSettings);

  const owner = leaseOwnerId();
  // Requests to one process (outside the event stream's subjects): presence, the simulator's phones.
  const controlRoot = `${subjectRoot}_ctl`;
  const presence = await servePresence(bus, controlRoot, owner);
  const singletonLeases = createPostgresSingletonLeases(db);
  const runner = createProjectionRunner({
    db,
    store,
    projectors: allProjectors,
    logger,
    inline,
    singleton: !inline,
  });
  const handleInOrder = createCommandHandler(store, {
    snapshots: createPostgresSnapshotStore(db),
    onSnapshotError: (error, streamName) =>
      logger.warn({ err: error, streamName }, 'Could not keep a snapshot of the stream'),
  });
  const handle = inline
    ? handleInOrder
    : waitingForProjections(handleInOrder, runner, config.PROJECTION_WAIT_MS, (checkpoint) =>
        logger.warn({ checkpoint }, 'The read models did not show a command in time; answering anyway'),
      );
  // Inline, the runner only catches up with what was stored without projection (by an older version). On
  // EventStoreDB it follows the store in one process of the cluster at a time; the others' replies wait on the
  // checkpoints it keeps in the database.
  if (inline) {
    await runner.start();
    await runner.waitUntilCaughtUp().finally(() => runner.stop());
  }
  const projecting = inline
    ? undefined
    : runAsSingleton({
        name: 'projections',
        owner,
        leases: singletonLeases,
        start: () => runner.start(),
        stop: () => runner.stop(),
        logger,
      });
  await projecting?.begin();
  const subject = (companyId: string, sessionId: string, type: string) =>
    eventSubject(companyId, sessionId, type, subjectRoot);
  const relay = createRelay({
    store,
    bus,
    checkpoints: relayCheckpoints(db),
    logger,
    subject,
    ...(inline
      ? {}
      : { beforePublish: (checkpoint) => runner.waitFor(checkpoint, config.PROJECTION_WAIT_MS) }),
  });
  committed.listen((events) => relay.handOver(events));
  // Each process publishes what it stores; the catch-up (what nobody handed over) runs in one process at a time.
  const relayCatchUp = runAsSingleton({
    name: 'relay',
    owner,
    leases: singletonLeases,
    start: () => relay.start(),
    stop: () => relay.stopCatchUp(),
    logger,
  });
  await relayCatchUp.begin();
  // Embedded PGlite belongs to one process: there is nobody to share sessions with.
  // In the database on PGlite too: the session reads join them (a session is connected only while it runs).
  const leases = createPostgresSessionLeases(db);
  const spool = await openFileFactSpool(join(config.DATA_DIR, 'spool'), { maxFacts: config.SPOOL_MAX_FACTS });
  const supervisor = createSessionSupervisor({
    spool,
    leases,
    owner,
    sessionsToStop: (sessionIds) => sessionsAskedToStop(db, sessionIds),
    untilStoppedElsewhere: (sessionId) =>
      confirmStopped(sessionId, {
        ownerOf: () => liveOwnerOf(db, sessionId),
        isGone: (other) => processIsGone(bus, controlRoot, other),
        releaseFrom: (other) => leases.release(sessionId, other),
      }),
    handle,
    driver,
    sessionsToRestore: () => sessionsToRestore(db),
    recordHeartbeats: (ids, at) => recordHeartbeats(db, ids, at),
    logger,
    heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
    rebalanceStep: config.SESSION_REBALANCE_STEP,
  });

  const mediaStore = createPostgresMediaStore(db);
  const outcomes = createSendOutcomes(bus, subjectRoot, (sessionId, messageId) =>
    storedSendOutcome(db, sessionId, messageId),
  );
  committed.listen((events) => outcomes.settleFrom(events));
  await outcomes.start();
  const sendMessage = createMessageSending({
    handle,
    idempotency: createPostgresIdempotencyStore(db),
    outcomes,
    timeoutMs: config.SEND_TIMEOUT_MS,
  });
  const outbox = createOutboxSender({
    bus,
    subjectRoot,
    store,
    handle,
    driverSession: (sessionId) => supervisor.driverSession(sessionId),
    runsElsewhere: async (sessionId) =>
      !supervisor.driverSession(sessionId) && (await leases.isHeld(sessionId)),
    pacing: createSendPacing({
      ratePerSecond: config.SEND_RATE_PER_SESSION,
      burst: config.SEND_BURST_PER_SESSION,
      minIntervalPerChatMs: config.SEND_MIN_INTERVAL_PER_CHAT_MS,
    }),
    maxAttempts: config.SEND_MAX_ATTEMPTS,
    media: mediaStore,
    logger,
    metrics,
    ...options.outbox,
  });
  metrics.watch({
    sessionsByStatus: () => sessionsByStatus(db),
    outboxPending: () => countPendingSends(db),
    projectionLag: () => projectionLag(runner, store),
    spooledFacts: () => spool.size(),
    sessionsRunningHere: () => supervisor.runningSessionIds().length,
  });

  committed.listen((events) => outbox.takeUpCommitted(events));

  const secret = config.JWT_PUBLIC_KEY
    ? undefined
    : config.JWT_SECRET
      ? { secret: config.JWT_SECRET, created: false }
      : await loadOrCreateJwtSecret(config.DATA_DIR);
  // The simulator's controls reach the process that runs each session, from any process.
  const simulatorControls =
    simulator &&
    clusterSimulatorControls({
      local: simulator,
      bus,
      controlRoot,
      owner,
      ownerOf: (sessionId) => liveOwnerOf(db, sessionId),
    });
  const simulatorServing = await simulatorControls?.serve();
  // Calls on a session's connection that are not sends (number checks, read receipts) run on its process.
  const driverCalls = sessionDriverCalls({
    bus,
    controlRoot,
    owner,
    local: (sessionId) => supervisor.driverSession(sessionId),
    ownerOf: (sessionId) => liveOwnerOf(db, sessionId),
  });
  const driverCallsServing = await driverCalls.serve();
  const blobs = createPostgresBlobStore(db);
  const mediaDownloads = createMediaDownloads({
    handle,
    blobs,
    driverSession: (sessionId) => supervisor.driverSession(sessionId),
    maxBytes: config.MEDIA_MAX_BYTES,
    logger,
  });
  committed.listen((events) => mediaDownloads.takeUpCommitted(events));
  const numberCheck = createNumberCheck({
    ask: (sessionId, phone) => driverCalls.checkNumber(sessionId, phone),
    ttlMs: config.NUMBER_CHECK_TTL_MS,
  });
  if (config.AUTO_READ)
    committed.listen(
      autoRead({
        handle,
        markSeen: (sessionId, chatJid) => driverCalls.markSeen(sessionId, chatJid),
        runsHere: (sessionId) => supervisor.driverSession(sessionId) !== undefined,
        logger,
      }),
    );
  const { app, hub } = await buildApp({
    db,
    prepared: (name, text, values) => database.prepared(name, text, values),
    spooledFacts: () => spool.size(),
    store,
    handle,
    supervisor,
    bus,
    simulator: simulatorControls,
    projections: runner,
    sendMessage,
    media: mediaStore,
    numberCheck,
    driverCalls,
    blobs,
    jwt: jwtKeys({ secret: secret?.secret, publicKey: config.JWT_PUBLIC_KEY }),
    config,
    busPattern: eventPattern(subjectRoot),
    logger,
    metrics,
  });
  committed.listen((events) => hub.handOver(events));
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  await outbox.start();
  // A stop or delete handled by another process reaches the process that runs the session through the bus.
  const stopSubscriptions = await Promise.all(
    (['SessionStopRequested', 'SessionDeleted'] as const).map((type) =>
      bus.subscribe(eventPattern(subjectRoot, { eventType: type }), (message) => {
        supervisor
          .stoppedElsewhere(
            message.sessionId,
            message.companyId,
            type === 'SessionDeleted',
            new Date(message.recordedAt),
          )
          .catch((error: unknown) =>
            logger.error(
              { err: error, sessionId: message.sessionId },
              'Could not stop a session stopped elsewhere',
            ),
          );
      }),
    ),
  );
  // An earlier run on this host that died keeps its leases until they expire: take its sessions over now.
  const deadOwners = deadOwnersOnThisHost(await leases.owners(), owner);
  if (deadOwners.length) {
    logger.info(
      { owners: deadOwners },
      'Reclaiming the sessions of gateway processes of this host that are gone',
    );
    await leases.releaseAllOf(deadOwners);
  }
  // What WhatsApp reported while the store was out of reach, before the process stopped, is stored first.
  const replayed = await replaySpool(spool, handle, logger);
  if (replayed) logger.info({ facts: replayed }, 'Stored the facts left in the spool');
  const restored = await supervisor.restoreAll();
  if (restored) logger.info({ sessions: restored }, 'Restoring sessions that were running');
  supervisor.startHeartbeat();
  void takeUpPendingSends().catch((error: unknown) =>
    logger.error({ err: error }, 'Could not take up pending sends'),
  );

  async function takeUpPendingSends(): Promise<void> {
    await withTimeout(runner.waitUntilCaughtUp(), 60_000).catch(() => undefined);
    const pending = await pendingSends(db);
    if (pending.length) logger.info({ messages: pending.length }, 'Taking up sends left pending');
    await outbox.recover(pending);
  }

  return {
    app,
    url,
    supervisor,
    simulator,
    metrics,
    jwtSecret: secret?.secret,
    jwtSecretCreated: secret?.created ?? false,
    async stop() {
      await app.close();
      await simulatorServing?.unsubscribe();
      await driverCallsServing.unsubscribe();
      await presence.unsubscribe();
      await Promise.all(stopSubscriptions.map((subscription) => subscription.unsubscribe()));
      await outbox.stop();
      await mediaDownloads.drain();
      await outcomes.stop();
      await supervisor.shutdown();
      await relayCatchUp.end();
      await relay.stop();
      await projecting?.end();
      await runner.stop();
      await bus.close();
      await store.close();
      await database.close();
    },
  };
}
