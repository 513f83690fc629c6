import type {
  CommittedDeliveries,
  FirstAttempt,
} from '../../adapters/db/webhooks/first-attempt-hand-over.js';
import { released, type WebhookDeliveries } from '../../adapters/db/webhooks/webhook-deliveries.js';
import type { Logger } from '../../logger.js';
import { createFirstAttemptSender, type FirstAttemptSender } from './first-attempt-sender.js';
import type { AttemptDeps } from './webhook-attempt.js';
import { createWebhookLane, type LaneDeps, type WebhookLane } from './webhook-lane.js';

/** Wakes closer together than this are one. */
const wakeCoalescingMs = 5;

export interface WebhookWorkerDeps extends Omit<LaneDeps, 'attempt' | 'deliveries'> {
  deliveries: Pick<WebhookDeliveries, 'claim' | 'renew' | 'record'>;
  /** First attempts handed over from this process's commits (first-attempt-hand-over.ts). */
  firstAttempts?: { owner: string; maxHeld: number; openSecret: (ciphertext: string) => string };
  /** The webhooks to work for (the enabled ones, of every company). */
  enabledWebhooks: () => Promise<{ id: string; companyId: string }[]>;
  /** What a lane sends with: each lane its own connections, closed with it. */
  openAttempt: () => { attempt: AttemptDeps; close: () => void };
  /** How often the list of webhooks is read again (webhooks made or changed in another process). */
  refreshMs: number;
  logger: Logger;
}

/**
 * Sends this process's share of webhook deliveries: one lane per enabled webhook, each claiming from the shared
 * queue, so that every process of a cluster helps and each delivery is made by one of them. `wake` is called when
 * deliveries may have been queued (events committed here or elsewhere); `refresh` when webhooks changed here.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const lanes = new Map<
    string,
    { lane: WebhookLane; first: FirstAttemptSender | undefined; companyId: string; close: () => void }
  >();
  /** Companies whose lanes wait to be woken; `all` when every lane is. */
  let toWake: Set<string> | 'all' | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let refreshing: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const webhooks = await deps.enabledWebhooks();
    const enabled = new Map(webhooks.map((webhook) => [webhook.id, webhook.companyId]));
    if (stopped) return;
    for (const [id, { lane, first, close }] of lanes) {
      if (enabled.has(id)) continue;
      lanes.delete(id);
      void Promise.all([lane.stop(), first?.stop()]).finally(close);
    }
    for (const [id, companyId] of enabled) {
      if (lanes.has(id)) continue;
      const { attempt, close } = deps.openAttempt();
      const lane = createWebhookLane(id, { ...deps, attempt });
      const first =
        deps.firstAttempts &&
        createFirstAttemptSender(id, {
          ...deps,
          attempt,
          settings: {
            ...deps.firstAttempts,
            concurrency: deps.settings.concurrency,
            leaseMs: deps.settings.leaseMs,
          },
          openSecret: deps.firstAttempts.openSecret,
          released: () => lane.wake(),
        });
      lanes.set(id, { lane, first, companyId, close });
      lane.start();
    }
  }

  function refreshSafely(): Promise<void> {
    refreshing ??= refresh()
      .catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'Could not read the webhooks; trying again'),
      )
      .finally(() => (refreshing = undefined));
    return refreshing;
  }

  /**
   * Deliveries may have been queued (for these companies' webhooks, or any): their lanes look now. Wakes in
   * the same few milliseconds are one, so a busy store does not turn each commit into a claim per lane.
   */
  function wake(companyIds?: ReadonlySet<string>): void {
    const pending = toWake;
    toWake = !companyIds || pending === 'all' ? 'all' : new Set([...(pending ?? []), ...companyIds]);
    if (pending !== undefined) return;
    setTimeout(() => {
      const companies = toWake;
      toWake = undefined;
      for (const { lane, companyId } of lanes.values())
        if (companies === 'all' || companies?.has(companyId)) lane.wake();
    }, wakeCoalescingMs);
  }

  /** A webhook this process has no lane for yet (made elsewhere a moment ago): its lane, once read, claims them. */
  async function releaseUnknown(webhookId: string, attempts: readonly FirstAttempt[]): Promise<void> {
    const owner = deps.firstAttempts?.owner ?? '';
    const releases = attempts.map(({ delivery }) => released(delivery.id));
    await deps.deliveries
      .record(webhookId, releases, owner)
      .catch((error: unknown) =>
        deps.logger.warn(
          { err: error, webhookId },
          'Could not release webhook deliveries; their lease will end',
        ),
      );
    await refreshSafely();
    lanes.get(webhookId)?.lane.wake();
  }

  return {
    async start(): Promise<void> {
      await refreshSafely();
      timer = setInterval(() => void refreshSafely(), deps.refreshMs);
    },
    /** Webhooks were made, changed or deleted in this process: their lanes follow now. */
    refresh: refreshSafely,
    wake,
    /** What commits of this process queued: first attempts are sent from memory, other deliveries claimed. */
    handOver({ firstAttempts, queuedFor }: CommittedDeliveries): void {
      const byWebhook = new Map<string, FirstAttempt[]>();
      for (const attempt of firstAttempts) {
        const list = byWebhook.get(attempt.webhookId);
        if (list) list.push(attempt);
        else byWebhook.set(attempt.webhookId, [attempt]);
      }
      for (const [webhookId, attempts] of byWebhook) {
        const first = lanes.get(webhookId)?.first;
        if (first) first.send(attempts);
        else void releaseUnknown(webhookId, attempts);
      }
      if (queuedFor.size > 0) wake(queuedFor);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await refreshing;
      const closing = [...lanes.values()];
      lanes.clear();
      const stopping = closing.flatMap(({ lane, first }) =>
        first ? [lane.stop(), first.stop()] : [lane.stop()],
      );
      // Closing the connections ends attempts in flight: they are recorded as failed, and retried later.
      for (const { close } of closing) close();
      await Promise.all(stopping);
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
