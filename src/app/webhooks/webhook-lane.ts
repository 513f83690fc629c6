import {
  released,
  type Claim,
  type ClaimedDelivery,
  type DeliveryOutcome,
  type WebhookDeliveries,
} from '../../adapters/db/webhooks/webhook-deliveries.js';
import { webhookSigningKey } from '../../domain/webhooks/webhook-signature.js';
import { attemptDelivery, type AttemptDeps } from './webhook-attempt.js';
import { logWebhookAttempt, type AttemptLogger } from './webhook-attempt-log.js';
import { recordOutcomesUntilStored } from './record-outcomes.js';

export type WebhookOutcome = 'delivered' | 'retried' | 'failed';

export interface LaneSettings {
  /** This process, as named in the claims it makes. */
  owner: string;
  /** Most deliveries claimed at once. */
  batchSize: number;
  /** Sessions whose deliveries are sent to the endpoint at the same time. */
  concurrency: number;
  /** How long a claim is held without being renewed (a dead process's claims are taken over after it). */
  leaseMs: number;
  /** Longest wait between two looks at the queue when nothing woke the lane. */
  pollMs: number;
}

export interface LaneDeps {
  deliveries: Pick<WebhookDeliveries, 'claim' | 'renew' | 'record'>;
  attempt: AttemptDeps;
  settings: LaneSettings;
  logger: AttemptLogger;
  onOutcome: (outcome: WebhookOutcome) => void;
}

/** Least time between two claims of a lane whose pending deliveries all wait (on a retry or another process). */
const blockedClaimIntervalMs = 100;
/** Wait before claiming again when another process is claiming for the same webhook. */
const busyClaimRetryMs = 20;

/**
 * One webhook's queue in this process: claims its due deliveries, sends each session's in order (sessions side
 * by side, up to `concurrency`), and records the outcomes in one statement per batch. A lane works only for its
 * endpoint, so a slow or dead receiver holds back no other. Wakes when deliveries were queued; otherwise looks
 * at the queue every `pollMs`, or when the earliest waiting delivery is due.
 */
export function createWebhookLane(webhookId: string, deps: LaneDeps) {
  const { deliveries, settings, logger } = deps;
  let stopped = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let running: Promise<void> | undefined;

  function pause(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && woken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = wakeable ? done : undefined;
      if (stopped) done();
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      woken = false;
      const claim = await deliveries
        .claim(webhookId, settings.owner, settings.batchSize, settings.leaseMs)
        .catch((error: unknown) => {
          logger.warn({ err: error, webhookId }, 'Could not claim webhook deliveries; trying again');
          return null;
        });
      if (claim === null) await pause(settings.pollMs, false);
      else if (claim === undefined) await pause(busyClaimRetryMs, false);
      else if (claim.deliveries.length > 0)
        await send(claim).catch(async (error: unknown) => {
          // The claims expire and are taken up again: a lane never dies of one batch.
          logger.error({ err: error, webhookId }, 'Could not send a batch of webhook deliveries');
          await pause(settings.pollMs, false);
        });
      else await waitForWork(claim.nextDueAt);
    }
  }

  async function waitForWork(due: Date | undefined): Promise<void> {
    if (due === undefined) return pause(settings.pollMs, true);
    const wait = due.getTime() - Date.now();
    // Due now, yet not claimed: another process's claim holds them for the moment.
    if (wait <= 0) return pause(busyClaimRetryMs, false);
    await pause(Math.min(wait, settings.pollMs), true);
    // Woken while everything pending waits (on a retry, or behind one): look again soon, not at every event.
    const early = due.getTime() - Date.now();
    if (early > 0) await pause(Math.min(early, blockedClaimIntervalMs), false);
  }

  async function send(claim: Claim): Promise<void> {
    const target = { url: new URL(claim.url), key: webhookSigningKey(claim.secret) };
    const claimed = claim.deliveries.map((delivery) => delivery.id);
    const renewal = setInterval(() => {
      deliveries
        .renew(webhookId, claimed, settings.owner, settings.leaseMs)
        .catch((error: unknown) => logger.warn({ err: error, webhookId }, 'Could not renew webhook claims'));
    }, settings.leaseMs / 3);
    const outcomes: DeliveryOutcome[] = [];
    try {
      await forEachConcurrently(
        [...bySession(claim.deliveries).values()],
        settings.concurrency,
        async (queue) => {
          for (const [index, delivery] of queue.entries()) {
            if (stopped) {
              outcomes.push(...queue.slice(index).map(({ id }) => released(id)));
              return;
            }
            const outcome = await attemptDelivery(deps.attempt, target, delivery);
            outcomes.push(outcome);
            logWebhookAttempt(logger, webhookId, delivery, outcome);
            // A retry waits: the session's later events wait behind it, in order. A failure for good does not.
            if (outcome.kind === 'retry') {
              outcomes.push(...queue.slice(index + 1).map(({ id }) => released(id)));
              return;
            }
          }
        },
      );
      await recordUntilStored(outcomes);
    } finally {
      clearInterval(renewal);
    }
  }

  async function recordUntilStored(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    // The database is out of reach: the outcomes wait here; if this process stops first, the claims expire and
    // the deliveries are sent again (at least once).
    await recordOutcomesUntilStored(
      deps,
      { webhookId, owner: settings.owner, outcomes },
      { stopping: () => stopped, wait: (tries) => pause(Math.min(settings.pollMs * tries, 10_000), false) },
    );
  }

  return {
    start(): void {
      running ??= loop().catch((error: unknown) =>
        logger.error({ err: error, webhookId }, 'A webhook lane stopped on an error'),
      );
    },
    /** Deliveries were queued: look now (unless everything pending waits). */
    wake(): void {
      woken = true;
      wakeUp?.();
    },
    async stop(): Promise<void> {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}

export type WebhookLane = ReturnType<typeof createWebhookLane>;

/** Deliveries by session, each session's in the order given. */
function bySession(deliveries: readonly ClaimedDelivery[]): Map<string, ClaimedDelivery[]> {
  const sessions = new Map<string, ClaimedDelivery[]>();
  for (const delivery of deliveries) {
    const queue = sessions.get(delivery.sessionId);
    if (queue) queue.push(delivery);
    else sessions.set(delivery.sessionId, [delivery]);
  }
  return sessions;
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
