import type { WebhookLogPruning } from '../../adapters/db/webhooks/webhook-log-pruning.js';
import type { Logger } from '../../logger.js';

export interface WebhookLogRetentionOptions {
  pruning: WebhookLogPruning;
  /** Settled deliveries older than this many days go. */
  retentionDays: number;
  /** How often the log is pruned. */
  intervalMs: number;
  /** Rows per statement, so that pruning never holds many rows locked or stalls the hot path. */
  batchSize: number;
  /** Rest between two batches. */
  pauseMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Keeps the webhook delivery log for `retentionDays`: while started (in one process of the cluster: run it as a
 * singleton), deletes settled deliveries older than that, then event bodies no delivery needs, in small batches,
 * at once and every `intervalMs`. Pending deliveries are never deleted. A failed round is logged and tried again
 * at the next interval.
 */
export function createWebhookLogRetention(options: WebhookLogRetentionOptions) {
  const { pruning, batchSize, logger } = options;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let turn: Promise<void> = Promise.resolve();

  async function inBatches(prune: (before: Date, batchSize: number) => Promise<number>, before: Date) {
    let total = 0;
    for (;;) {
      const deleted = await prune(before, batchSize);
      total += deleted;
      if (deleted < batchSize || stopping) return total;
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }

  /** One round: everything older than the retention, batch by batch; answers how many rows went. */
  async function pruneOnce(): Promise<{ deliveries: number; bodies: number }> {
    const before = new Date(now().getTime() - options.retentionDays * 86_400_000);
    const deliveries = await inBatches((at, size) => pruning.deleteSettled(at, size), before);
    const bodies = await inBatches((at, size) => pruning.deleteUnusedBodies(at, size), before);
    if (deliveries + bodies > 0)
      logger.info({ deliveries, bodies, before }, 'Deleted webhook deliveries past their retention');
    return { deliveries, bodies };
  }

  const pruneSafely = () => {
    turn = turn.then(async () => {
      if (stopping) return;
      await pruneOnce().catch((error: unknown) =>
        logger.warn({ err: error }, 'Could not prune the webhook delivery log; trying again later'),
      );
    });
    return turn;
  };

  return {
    pruneOnce,
    start(): Promise<void> {
      stopping = false;
      timer = setInterval(() => void pruneSafely(), options.intervalMs);
      timer.unref();
      void pruneSafely();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await turn;
    },
  };
}
