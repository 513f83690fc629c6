import type { Kysely } from 'kysely';
import { createPostgresSingletonLeases } from '../adapters/db/postgres-singleton-leases.js';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import { deleteOutgoingOrphans } from '../adapters/media/postgres-outgoing-orphans.js';
import { createOutgoingOrphanSweep } from '../app/media/outgoing-orphan-sweep.js';
import { sweepAsSingleton } from '../app/scheduled-sweep.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** Looked for at least hourly, and ten times within the grace period when that is shorter. */
const longestIntervalMs = 3_600_000;

/** One process of the cluster (a singleton, like media retention) deletes send-media files no message refers to. */
export async function startOutgoingOrphanSweep(deps: {
  config: Config;
  db: Kysely<ReadModelSchema>;
  owner: string;
  logger: Logger;
}) {
  const { config, db, logger } = deps;
  const orphans = createOutgoingOrphanSweep({
    deleteOrphans: (savedBefore) => deleteOutgoingOrphans(db, savedBefore),
    graceMs: config.MEDIA_ORPHAN_GRACE_MS,
    logger,
  });
  const intervalMs = Math.min(longestIntervalMs, Math.ceil(config.MEDIA_ORPHAN_GRACE_MS / 10));
  return sweepAsSingleton({
    name: 'outgoing-media-orphans',
    owner: deps.owner,
    leases: createPostgresSingletonLeases(db),
    sweep: () => orphans.sweep(),
    intervalMs,
    what: 'The send-media orphan sweep',
    logger,
  });
}
