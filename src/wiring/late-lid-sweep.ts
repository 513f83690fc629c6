import type { SingletonLeases } from '../app/singleton.js';
import { runAsSingleton } from '../app/singleton.js';
import type { lateLidErasure } from '../app/privacy/late-lid-erasure.js';
import type { Logger } from '../logger.js';

/** How often the holder sweeps, and how far back a periodic sweep looks (a full one when it takes the lease). */
const intervalMs = 5 * 60_000;
const lookbackMs = 60 * 60_000;

/**
 * One process of the cluster catches up on late linked-device erasures (README, "Privacy"): every mapping when
 * it takes the lease (a process may have stopped between recording a mapping and erasing the id), then those of
 * the last hour every five minutes (a mapping another process's reaction missed, or one EventStoreDB's
 * projections showed late).
 */
export async function startLateLidSweep<T>(deps: {
  lateLids: ReturnType<typeof lateLidErasure<T>>;
  owner: string;
  singletonLeases: SingletonLeases;
  logger: Logger;
}) {
  const { lateLids, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const turn = (since: Date | undefined) => {
    running = lateLids
      .sweep(since)
      .then((erased) => {
        if (erased > 0)
          logger.info({ erased }, 'Erased linked-device ids learned late to be erased contacts’');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'The late linked-device erasure sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(() => turn(new Date(Date.now() - lookbackMs)), intervalMs).unref();
      });
  };

  const singleton = runAsSingleton({
    name: 'late-lid-erasure',
    owner: deps.owner,
    leases: deps.singletonLeases,
    start: () => {
      stopped = false;
      turn(undefined);
      return Promise.resolve();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    logger,
  });
  await singleton.begin();
  return singleton;
}
