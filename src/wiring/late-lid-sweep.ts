import { sweepAsSingleton } from '../app/scheduled-sweep.js';
import type { SingletonLeases } from '../app/singleton.js';
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
  return sweepAsSingleton({
    name: 'late-lid-erasure',
    owner: deps.owner,
    leases: deps.singletonLeases,
    sweep: async (first) => {
      const erased = await lateLids.sweep(first ? undefined : new Date(Date.now() - lookbackMs));
      if (erased > 0) logger.info({ erased }, 'Erased linked-device ids learned late to be erased contacts’');
    },
    intervalMs,
    what: 'The late linked-device erasure sweep',
    logger,
  });
}
