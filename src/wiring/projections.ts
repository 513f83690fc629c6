import type { SingletonLeases } from '../app/singleton.js';
import { runAsSingleton } from '../app/singleton.js';
import { createCommandHandler } from '../app/command-handler.js';
import { waitingForProjections } from '../app/waiting-for-projections.js';
import { createPostgresSnapshotStore } from '../adapters/db/postgres-snapshot-store.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { allProjectors } from '../projections/all-projectors.js';
import { createProjectionRunner } from '../projections/projection-runner.js';
import type { EventStorage } from './event-storage.js';

/**
 * The projection runner and the command handler. Inline (PostgreSQL, PGlite), the runner only catches up at start
 * with what was stored without projection (by an older version). On EventStoreDB it follows the store in one
 * process of the cluster at a time, and replies wait until the read models show what they recorded: here, in
 * memory; in the other processes, on the checkpoints it keeps in the database.
 */
export async function wireProjections(
  storage: EventStorage,
  deps: { config: Config; logger: Logger; owner: string; singletonLeases: SingletonLeases },
) {
  const { db, store, inline } = storage;
  const { config, logger } = deps;
  const runner = createProjectionRunner({
    db,
    store,
    projectors: allProjectors,
    logger,
    inline,
    singleton: !inline,
  });
  const handleInOrder = createCommandHandler(store, {
    snapshots: createPostgresSnapshotStore(db),
    onSnapshotError: (error, streamName) =>
      logger.warn({ err: error, streamName }, 'Could not keep a snapshot of the stream'),
  });
  const handle = inline
    ? handleInOrder
    : waitingForProjections(handleInOrder, runner, config.PROJECTION_WAIT_MS, (checkpoint) =>
        logger.warn({ checkpoint }, 'The read models did not show a command in time; answering anyway'),
      );
  if (inline) {
    await runner.start();
    await runner.waitUntilCaughtUp().finally(() => runner.stop());
  }
  const projecting = inline
    ? undefined
    : runAsSingleton({
        name: 'projections',
        owner: deps.owner,
        leases: deps.singletonLeases,
        start: () => runner.start(),
        stop: () => runner.stop(),
        logger,
      });
  await projecting?.begin();
  return {
    runner,
    handle,
    async stop(): Promise<void> {
      await projecting?.end();
      await runner.stop();
    },
  };
}
