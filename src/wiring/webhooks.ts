import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import { createSecretBox } from '../adapters/db/webhooks/secret-box.js';
import { createWebhookDeliveries } from '../adapters/db/webhooks/webhook-deliveries.js';
import {
  parseDeliveriesNotification,
  webhookDeliveriesChannel,
  type FirstAttempts,
} from '../adapters/db/webhooks/webhook-fan-out.js';
import { createWebhookLogPruning } from '../adapters/db/webhooks/webhook-log-pruning.js';
import { createWebhookLogRetention } from '../app/webhooks/webhook-log-retention.js';
import type { Database } from '../adapters/db/database.js';
import { createWebhookRegistry } from '../adapters/db/webhooks/webhook-registry.js';
import { NonPublicAddressError } from '../api/http-get.js';
import type { WebhookServices } from '../api/routes/webhooks-routes.js';
import { webhookFrameData } from '../api/webhook-frame-data.js';
import { createWebhookPoster } from '../api/webhook-post.js';
import type { WebhookOutcome } from '../app/webhooks/webhook-lane.js';
import { createWebhookWorker, type WebhookWorker } from '../app/webhooks/webhook-worker.js';
import type { Config } from '../config.js';
import type { ProcessLogger } from '../logger.js';
import { createWebhookFanOutFollower, webhookFanOutName } from '../projections/webhook-fan-out-follower.js';
import { runAsSingleton, type SingletonLeases } from '../app/singleton.js';
import { idleIntake, type IntakeLoad } from '../app/intake-load.js';
import type { EventStorage } from './event-storage.js';

/** Most deliveries of one webhook a process claims at once. */
const claimBatchSize = 200;
/** Most first attempts of one webhook held in memory; past it they wait in the queue for the lane's claims. */
const firstAttemptsHeld = 2_000;
/**
 * Facts being recorded above which a delivery waits (up to `deliveriesMaxYieldMs`) before it is sent: WhatsApp's
 * facts are then queueing, and the two cores go to them first. Measured with the webhooks bench (bench/README,
 * "Facts first"): at 32, bursts of a steady 200 msg/s already held deliveries back (p99 1.2-2.7 s against 0.76 s
 * with no gate); at 256, 1,000 msg/s offered were taken at 518 a second; 96 kept both (p99 0.4 s; 721 a second).
 */
const deliveriesYieldAbove = 96;
const deliveriesMaxYieldMs = 250;
/** Longest wait between two retries of a delivery. */
const retryMaxMs = 3_600_000;
/** The delivery log is pruned this often, this many rows per statement, resting between statements. */
const logPruning = { intervalMs: 3_600_000, batchSize: 1_000, pauseMs: 100 };

/** How long a claim holds a delivery: long enough for a whole attempt; its owner renews it while it works. */
export const webhookLeaseMs = (config: Pick<Config, 'WEBHOOK_TIMEOUT_MS'>): number =>
  config.WEBHOOK_TIMEOUT_MS + 30_000;

export interface WebhookWiring {
  /** For the API's /webhooks routes. */
  services: WebhookServices;
  worker: WebhookWorker;
}

/**
 * The webhooks of a gateway process: the registry and delivery log the API serves, and the worker that sends
 * this process's share of the deliveries, woken by the fan-out's notifications from any process; with singleton
 * leases, the log's retention in one process of the cluster. `keyMaterial` seals the secrets (WEBHOOK_SECRET_KEY
 * or the JWT secret).
 */
export function wireWebhooks(deps: {
  config: Config;
  db: Kysely<ReadModelSchema>;
  owner: string;
  keyMaterial: string;
  logger: ProcessLogger;
  onOutcome?: ((outcome: WebhookOutcome) => void) | undefined;
  /**
   * Where deliveries queued by any process are announced (the fan-out's NOTIFY), to wake lanes at once; those of
   * `ownOrigin` (this process's fan-out, whose commits wake the lanes in-process) are skipped.
   */
  notifications?: Pick<Database, 'listen'>;
  ownOrigin?: string;
  /** This process's commits' first attempts (the PostgreSQL store's fan-out), sent from memory. */
  firstAttempts?: FirstAttempts;
  /** Runs the log's retention in one process of the cluster. */
  singletonLeases?: SingletonLeases;
  /** The facts this process is recording: deliveries wait while too many are (default: never wait). */
  intake?: IntakeLoad;
}): WebhookWiring {
  const { config } = deps;
  const intake = deps.intake ?? idleIntake;
  const box = createSecretBox(deps.keyMaterial);
  const registry = createWebhookRegistry(deps.db, box);
  const deliveries = createWebhookDeliveries(deps.db, box);
  const worker = createWebhookWorker({
    enabledWebhooks: () => registry.enabled(),
    openAttempt: () => {
      const poster = createWebhookPoster({
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        publicOnly: !config.WEBHOOK_ALLOW_PRIVATE,
        maxSockets: config.WEBHOOK_CONCURRENCY,
      });
      return {
        attempt: {
          post: (url, headers, body) => poster.post(url, headers, body),
          retry: { initialMs: config.WEBHOOK_RETRY_INITIAL_MS, maxMs: retryMaxMs },
          renderData: webhookFrameData,
          isFinal: (error) => error instanceof NonPublicAddressError,
          yieldToIntake: () => intake.yieldTo(deliveriesYieldAbove, deliveriesMaxYieldMs),
        },
        close: () => poster.close(),
      };
    },
    refreshMs: config.WEBHOOK_POLL_MS * 5,
    deliveries,
    ...(deps.firstAttempts
      ? {
          firstAttempts: {
            owner: deps.firstAttempts.owner,
            maxHeld: firstAttemptsHeld,
            openSecret: (ciphertext: string) => box.open(ciphertext),
          },
        }
      : {}),
    settings: {
      owner: deps.owner,
      batchSize: claimBatchSize,
      concurrency: config.WEBHOOK_CONCURRENCY,
      leaseMs: webhookLeaseMs(config),
      pollMs: config.WEBHOOK_POLL_MS,
    },
    logger: deps.logger,
    onOutcome: deps.onOutcome ?? (() => undefined),
  });
  const retention = createWebhookLogRetention({
    pruning: createWebhookLogPruning(deps.db),
    retentionDays: config.WEBHOOK_LOG_RETENTION_DAYS,
    ...logPruning,
    logger: deps.logger,
  });
  const pruning =
    deps.singletonLeases &&
    runAsSingleton({
      name: 'webhook-log-retention',
      owner: deps.owner,
      leases: deps.singletonLeases,
      start: () => retention.start(),
      stop: () => retention.stop(),
      logger: deps.logger,
    });
  deps.firstAttempts?.take((committed) => worker.handOver(committed));
  let unlisten: (() => Promise<void>) | undefined;
  return {
    worker: {
      ...worker,
      async start() {
        await worker.start();
        await pruning?.begin();
        // Deliveries another process queued: their lanes look now rather than at the next poll.
        unlisten = await deps.notifications?.listen(webhookDeliveriesChannel, (payload) => {
          const { origin, companyId } = parseDeliveriesNotification(payload);
          if (origin !== deps.ownOrigin) worker.wake(new Set([companyId]));
        });
      },
      async stop() {
        await unlisten?.();
        await pruning?.end();
        await worker.stop();
      },
    },
    services: {
      registry,
      deliveries,
      changed: () => {
        void worker.refresh().then(() => worker.wake());
      },
      retryHours: config.WEBHOOK_RETRY_HOURS,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    },
  };
}

/**
 * Without the events' transaction (EventStoreDB), deliveries are queued by following the store, in one process at
 * a time; inline, the append's transaction queues them and there is nothing to follow.
 */
export async function followForWebhooks(
  storage: EventStorage,
  deps: { owner: string; singletonLeases: SingletonLeases; wake: () => void; logger: ProcessLogger },
): Promise<{ end(): Promise<void> } | undefined> {
  if (storage.inline) return undefined;
  const follower = createWebhookFanOutFollower({
    db: storage.db,
    store: storage.store,
    fanOut: storage.fanOut,
    queued: deps.wake,
    logger: deps.logger,
  });
  const following = runAsSingleton({
    name: webhookFanOutName,
    owner: deps.owner,
    leases: deps.singletonLeases,
    start: () => follower.start(),
    stop: () => follower.stop(),
    logger: deps.logger,
  });
  await following.begin();
  return following;
}
