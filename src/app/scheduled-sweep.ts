import type { Logger } from '../logger.js';
import { runAsSingleton, type SingletonLeases } from './singleton.js';

/** A sweep is told whether it is the first since this process took the singleton. */
export type Sweep = (first: boolean) => Promise<unknown>;

/**
 * Runs `sweep` every `intervalMs` while started: at once, then after each sweep has ended (sweeps never
 * overlap). A failed sweep is logged as `what` and the next one comes all the same.
 */
export function scheduleSweep(sweep: Sweep, intervalMs: number, logger: Logger, what: string) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const turn = (first: boolean) => {
    running = sweep(first)
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, `${what} failed`))
      .finally(() => {
        if (!stopped) timer = setTimeout(() => turn(false), intervalMs).unref();
      });
  };

  return {
    start(): Promise<void> {
      stopped = false;
      turn(true);
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** `scheduleSweep` in one process of the cluster at a time (the singleton `name`), begun; answers the singleton. */
export async function sweepAsSingleton(options: {
  name: string;
  owner: string;
  leases: SingletonLeases;
  sweep: Sweep;
  intervalMs: number;
  what: string;
  logger: Logger;
}) {
  const schedule = scheduleSweep(options.sweep, options.intervalMs, options.logger, options.what);
  const singleton = runAsSingleton({
    name: options.name,
    owner: options.owner,
    leases: options.leases,
    start: () => schedule.start(),
    stop: () => schedule.stop(),
    logger: options.logger,
  });
  await singleton.begin();
  return singleton;
}
