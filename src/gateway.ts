import { createMemoryBus } from './adapters/bus/memory-bus.js';
import { createNatsBus } from './adapters/bus/nats-bus.js';
import { eventPattern, type Bus } from './adapters/bus/port.js';
import { createPostgresSingletonLeases } from './adapters/db/postgres-singleton-leases.js';
import { createPrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { jwtKeys } from './api/auth/jwt-verifier.js';
import { buildApp } from './api/build-app.js';
import { clusterSimulatorControls } from './app/cluster-simulator.js';
import { leaseOwnerId } from './app/lease-owner.js';
import { servePresence } from './app/process-presence.js';
import type { Config } from './config.js';
import { loadOrCreateJwtSecret } from './jwt-secret-file.js';
import { createLogger } from './logger.js';
import { projectionLag } from './projections/projection-lag.js';
import { countPendingSends } from './projections/messages/pending-sends.js';
import { liveOwnerOf } from './projections/sessions/session-supervision.js';
import { sessionsByStatus } from './projections/sessions/sessions-by-status.js';
import { openEventStorage } from './wiring/event-storage.js';
import { lateLidErasure } from './app/privacy/late-lid-erasure.js';
import { privacyServices } from './app/privacy/privacy-services.js';
import type { Gateway, GatewayOptions } from './wiring/gateway-types.js';
import { openDriver } from './wiring/open-driver.js';
import { wireProjections } from './wiring/projections.js';
import { wireRelay } from './wiring/relay.js';
import { wireSending } from './wiring/sending.js';
import { wireSessions } from './wiring/sessions.js';
import { createIntakeLoad } from './app/intake-load.js';
import { followForWebhooks, wireWebhooks } from './wiring/webhooks.js';
import { startAnchoring } from './wiring/anchoring.js';
import { wireContactsAndMedia } from './wiring/contacts-and-media.js';
import { wireGroupSync } from './wiring/group-sync.js';
import { startLateLidSweep } from './wiring/late-lid-sweep.js';

export type { Gateway, GatewayOptions } from './wiring/gateway-types.js';

/**
 * Wires every adapter the configuration names, applies migrations, starts projections, relay, API and
 * supervisor, then restores the sessions that were running. `stop` undoes it all in reverse order.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = createLogger(config.LOG_LEVEL);
  const metrics = createPrometheusMetrics(logger);
  const storage = await openEventStorage(config, logger, metrics);
  const { database, db, store, committed } = storage;
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
  // Restoring is asked for by a process that just handed sessions over (from once this one has booted).
  let restoreAsked = () => undefined as void;
  const presence = await servePresence(bus, controlRoot, owner, () => restoreAsked());
  const singletonLeases = createPostgresSingletonLeases(db);
  const cluster = { owner, singletonLeases, logger };

  const projections = await wireProjections(storage, { config, ...cluster });
  const { runner, handle } = projections;
  const relay = await wireRelay(storage, { config, bus, subjectRoot, runner, ...cluster });
  // The hash chain is written by every append (on EventStoreDB too); anchors sign its heads, in one process.
  const anchoring = await startAnchoring(database.db, config, owner, logger);
  // WhatsApp's facts being recorded: webhook deliveries and kept files' chunks give way to them, and past
  // SPOOL_BEHIND_FACTS each arriving one is spooled at once.
  const intake = createIntakeLoad({ behindAt: config.SPOOL_BEHIND_FACTS });
  const sessions = await wireSessions(storage, {
    intake,
    config,
    bus,
    subjectRoot,
    controlRoot,
    owner,
    handle,
    driver,
    logger,
  });
  const { supervisor } = sessions;
  const sending = wireSending(storage, {
    config,
    bus,
    subjectRoot,
    handle,
    supervisor,
    leases: sessions.leases,
    metrics,
    logger,
    outbox: options.outbox,
  });
  await sending.startOutcomes();
  metrics.watch({
    sessionsByStatus: () => sessionsByStatus(db),
    outboxPending: () => countPendingSends(db),
    projectionLag: () => projectionLag(runner, store),
    spooledFacts: () => sessions.spool.size(),
    intakeInFlight: () => intake.inFlight(),
    sessionsRunningHere: () => supervisor.runningSessionIds().length,
  });

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
  const contacts = await wireContactsAndMedia(storage, {
    intake,
    config,
    bus,
    controlRoot,
    owner,
    handle,
    supervisor,
    logger,
  });
  wireGroupSync(storage, { handle, supervisor, logger });
  const webhooks = wireWebhooks({
    intake,
    config,
    db,
    notifications: database,
    ownOrigin: storage.fanOut.origin,
    ...(storage.inline ? { firstAttempts: storage.fanOut.firstAttempts } : {}),
    singletonLeases,
    owner,
    keyMaterial:
      config.WEBHOOK_SECRET_KEY ?? secret?.secret ?? (await loadOrCreateJwtSecret(config.DATA_DIR)).secret,
    logger,
    onOutcome: (outcome) => {
      metrics.webhookDelivery(outcome);
      options.onWebhookOutcome?.(outcome);
    },
  });
  const { app, hub } = await buildApp({
    db,
    prepared: (name, text, values) => database.prepared(name, text, values),
    spooledFacts: () => sessions.spool.size(),
    store,
    handle,
    supervisor,
    bus,
    simulator: simulatorControls,
    projections: runner,
    sendMessage: sending.sendMessage,
    media: sending.media,
    numberCheck: contacts.numberCheck,
    driverCalls: contacts.driverCalls,
    blobs: contacts.blobs,
    jwt: jwtKeys({ secret: secret?.secret, publicKey: config.JWT_PUBLIC_KEY }),
    config,
    busPattern: eventPattern(subjectRoot),
    logger,
    metrics,
    consoleDir: options.consoleDir,
    webhooks: webhooks.services,
    privacy: privacyServices({ db, store, blobs: contacts.blobs, privacy: storage.privacy }),
  });
  committed.listen((events) => hub.handOver(events));
  // A linked-device id learned to be an erased contact's after its erasure is erased then (README, "Privacy").
  const lateLids = lateLidErasure({ db, store, blobs: contacts.blobs, logger, ...storage.privacy });
  committed.listen((events) => void lateLids.takeUpCommitted(events));
  const lateLidSweep = await startLateLidSweep({ lateLids, ...cluster });
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  await sending.startOutbox();
  await webhooks.worker.start();
  const webhookFollowing = await followForWebhooks(storage, {
    ...cluster,
    wake: () => webhooks.worker.wake(),
  });
  await sessions.begin();
  // Only once the spool is stored: facts of a session keep their order.
  restoreAsked = () =>
    void supervisor
      .restoreAll()
      .catch((error: unknown) => logger.warn({ err: error }, 'Could not take the sessions handed over'));
  sending.takeUpPending(runner);

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
      await contacts.unsubscribe();
      await presence.unsubscribe();
      await sessions.unsubscribe();
      await sending.stop();
      await contacts.drain();
      await contacts.close();
      await webhookFollowing?.end();
      await webhooks.worker.stop();
      await supervisor.shutdown();
      await relay.stop();
      await anchoring?.end();
      await lateLidSweep.end();
      await projections.stop();
      await bus.close();
      await store.close();
      await database.close();
    },
  };
}
