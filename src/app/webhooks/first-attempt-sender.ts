import type { FirstAttempt } from '../../adapters/db/webhooks/first-attempt-hand-over.js';
import {
  released,
  type DeliveryOutcome,
  type WebhookDeliveries,
} from '../../adapters/db/webhooks/webhook-deliveries.js';
import { webhookSigningKey } from '../../domain/webhooks/webhook-signature.js';
import { attemptDelivery, type AttemptDeps } from './webhook-attempt.js';
import { logWebhookAttempt, type AttemptLogger } from './webhook-attempt-log.js';
import { recordOutcomesUntilStored } from './record-outcomes.js';
import type { WebhookOutcome } from './webhook-lane.js';

export interface FirstAttemptSettings {
  /** The name the fan-out claimed these deliveries under. */
  owner: string;
  /** Sessions sent to the endpoint at the same time. */
  concurrency: number;
  /** The claims' lease, renewed while they wait here. */
  leaseMs: number;
  /** Most deliveries held in memory; more are released to the queue, where the lane claims them. */
  maxHeld: number;
}

export interface FirstAttemptDeps {
  deliveries: Pick<WebhookDeliveries, 'record' | 'renew'>;
  attempt: AttemptDeps;
  settings: FirstAttemptSettings;
  /** The webhook's secret from its sealed form. */
  openSecret: (ciphertext: string) => string;
  logger: AttemptLogger;
  onOutcome: (outcome: WebhookOutcome) => void;
  /** Deliveries went back to the queue: the webhook's lane claims them. */
  released: () => void;
}

/** After a session's retry, its deliveries handed over within this time go back to the queue, behind the retry. */
const blockedForMs = 10_000;

/**
 * Sends one webhook's first attempts straight from the commit that queued them (already claimed for this
 * process), each session's in order, sessions side by side up to `concurrency`; the outcomes are recorded in the
 * background, as for the lane's claims. A retry stops its session here: what follows it goes back to the queue,
 * where the lane's claims keep it behind the retry. The leases are renewed while deliveries wait here; if this
 * process dies, they expire and a lane (here or elsewhere) sends them: at least once, same `webhook-id`.
 */
export function createFirstAttemptSender(webhookId: string, deps: FirstAttemptDeps) {
  const { settings, logger } = deps;
  const sessions = new Map<string, { queue: FirstAttempt[]; running: boolean }>();
  const blockedUntil = new Map<string, number>();
  const held = new Set<string>();
  const toRecord: DeliveryOutcome[] = [];
  const keys = new Map<string, Buffer>();
  const running = new Set<Promise<void>>();
  let recording: Promise<void> | undefined;
  let renewal: NodeJS.Timeout | undefined;
  let active = 0;
  const waiting: (() => void)[] = [];
  let stopped = false;

  function keyOf(ciphertext: string): Buffer {
    let key = keys.get(ciphertext);
    if (!key) keys.set(ciphertext, (key = webhookSigningKey(deps.openSecret(ciphertext))));
    return key;
  }

  async function slot(): Promise<void> {
    if (active < settings.concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function freeSlot(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  function settle(outcomes: readonly DeliveryOutcome[]): void {
    if (outcomes.length === 0) return;
    toRecord.push(...outcomes);
    recording ??= recordAll().finally(() => (recording = undefined));
  }

  async function recordAll(): Promise<void> {
    let releasedAny = false;
    while (toRecord.length > 0) {
      const outcomes = toRecord.splice(0, toRecord.length);
      // The database is out of reach: the outcomes wait here (the leases are still renewed); if this process
      // stops first, the claims expire and the deliveries are sent again (at least once).
      const statuses = await recordOutcomesUntilStored(
        deps,
        { webhookId, owner: settings.owner, outcomes },
        { stopping: () => stopped, wait: (tries) => sleep(Math.min(1_000 * tries, 10_000)) },
      );
      if (!statuses) return;
      const kinds = new Map(outcomes.map((outcome) => [outcome.id, outcome.kind]));
      if (statuses.some(({ id }) => kinds.get(id) === 'release')) releasedAny = true;
      for (const outcome of outcomes) held.delete(outcome.id);
    }
    if (releasedAny) deps.released();
    if (held.size === 0) {
      clearInterval(renewal);
      renewal = undefined;
    }
  }

  function hold(attempt: FirstAttempt): void {
    held.add(attempt.delivery.id);
    renewal ??= setInterval(() => {
      deps.deliveries
        .renew(webhookId, [...held], settings.owner, settings.leaseMs)
        .catch((error: unknown) => logger.warn({ err: error, webhookId }, 'Could not renew webhook claims'));
    }, settings.leaseMs / 3);
  }

  async function drain(sessionId: string, session: { queue: FirstAttempt[]; running: boolean }) {
    session.running = true;
    try {
      while (session.queue.length > 0 && !stopped) {
        const attempt = session.queue.shift()!;
        await slot();
        if (stopped) {
          // Stopped while it waited for a slot: it goes back to the queue with the rest.
          freeSlot();
          session.queue.unshift(attempt);
          break;
        }
        const outcome = await attemptDelivery(
          deps.attempt,
          { url: new URL(attempt.url), key: keyOf(attempt.secretCiphertext) },
          attempt.delivery,
        ).finally(freeSlot);
        logWebhookAttempt(logger, webhookId, attempt.delivery, outcome);
        if (outcome.kind === 'retry') {
          blockedUntil.set(sessionId, Date.now() + blockedForMs);
          settle([outcome, ...session.queue.splice(0).map(release)]);
        } else settle([outcome]);
      }
      settle(session.queue.splice(0).map(release));
    } finally {
      session.running = false;
      if (session.queue.length === 0) sessions.delete(sessionId);
    }
  }

  return {
    /** Deliveries queued claimed for this process, in the order they were stored. */
    send(attempts: readonly FirstAttempt[]): void {
      const released: DeliveryOutcome[] = [];
      const now = Date.now();
      for (const attempt of attempts) {
        const { sessionId } = attempt.delivery;
        hold(attempt);
        const blocked = (blockedUntil.get(sessionId) ?? 0) > now;
        if (stopped || blocked || held.size > settings.maxHeld) {
          released.push(release(attempt));
          continue;
        }
        let session = sessions.get(sessionId);
        if (!session) sessions.set(sessionId, (session = { queue: [], running: false }));
        session.queue.push(attempt);
        if (!session.running) {
          const draining = drain(sessionId, session).catch((error: unknown) =>
            logger.error({ err: error, webhookId }, 'Could not send webhook first attempts'),
          );
          running.add(draining);
          void draining.finally(() => running.delete(draining));
        }
      }
      for (const [sessionId, until] of blockedUntil) if (until <= now) blockedUntil.delete(sessionId);
      settle(released);
    },
    /** Sends nothing more; what waits goes back to the queue; attempts in flight end (closed connections). */
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(running);
      await recording;
      clearInterval(renewal);
    },
  };
}

export type FirstAttemptSender = ReturnType<typeof createFirstAttemptSender>;

function release(attempt: FirstAttempt): DeliveryOutcome {
  return released(attempt.delivery.id);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
