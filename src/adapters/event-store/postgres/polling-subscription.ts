import type { Database } from '../../db/database.js';
import type { SubscribeOptions, Subscription } from '../port.js';
import { eventsChannel } from './group-commit.js';
import { decodeCheckpoint, isAfter } from './postgres-checkpoint.js';
import { readSettledPage } from './read-settled-page.js';

const defaultBatchSize = 256;
const maxRetryDelayMs = 5000;
const minReadIntervalMs = 5;

/**
 * Catches up page by page, then waits for a NOTIFY from an append (or the poll interval, whichever comes
 * first) and reads again. A failing query is retried with backoff; a failing handler ends the subscription.
 */
export function startPollingSubscription(
  database: Database,
  options: SubscribeOptions,
  pollIntervalMs: number,
  onTransientError: (error: unknown) => void,
): Subscription {
  const maxBatchSize = options.maxBatchSize ?? defaultBatchSize;
  const prefixes = options.filter?.streamPrefixes;
  let cursor = decodeCheckpoint(options.from);
  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = false;

  const notified = () => {
    pending = true;
    wake?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || stopped) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
      pending = false;
    });

  async function run(): Promise<void> {
    const unlisten = await database.listen(eventsChannel, notified);
    let failures = 0;
    try {
      while (!stopped) {
        let page;
        try {
          page = await readSettledPage(database.db, cursor, maxBatchSize, prefixes);
          failures = 0;
        } catch (error) {
          if (stopped) break;
          failures += 1;
          onTransientError(error);
          await sleep(Math.min(maxRetryDelayMs, 100 * 2 ** failures));
          continue;
        }
        if (page.events.length > 0) {
          await options.handle(page.events);
          cursor = decodeCheckpoint(page.events.at(-1)!.checkpoint);
          if (page.events.length === maxBatchSize) continue;
        }
        if (isAfter(page.horizon, cursor)) cursor = page.horizon;
        // A short pause even when woken: under load, commits arrive far more often than a page is worth reading.
        await new Promise((resolve) => setTimeout(resolve, minReadIntervalMs));
        await sleep(pollIntervalMs);
      }
    } finally {
      await unlisten();
    }
  }

  const done = run();
  done.catch(() => undefined);
  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
