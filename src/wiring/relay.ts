import { eventSubject, type Bus } from '../adapters/bus/port.js';
import { createRelay } from '../app/relay.js';
import { runAsSingleton, type SingletonLeases } from '../app/singleton.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import { relayCheckpoints } from '../projections/queries/relay-checkpoints.js';
import type { EventStorage } from './event-storage.js';

/**
 * The relay to NATS: each process publishes what it stores as it commits; the catch-up (what nobody handed over)
 * runs in one process at a time. On EventStoreDB a caught-up batch is published only once the read models show it.
 */
export async function wireRelay(
  storage: EventStorage,
  deps: {
    config: Config;
    bus: Bus;
    subjectRoot: string;
    runner: ProjectionRunner;
    owner: string;
    singletonLeases: SingletonLeases;
    logger: Logger;
  },
) {
  const { config, runner, logger } = deps;
  const relay = createRelay({
    store: storage.store,
    bus: deps.bus,
    checkpoints: relayCheckpoints(storage.db),
    logger,
    subject: (companyId, sessionId, type) => eventSubject(companyId, sessionId, type, deps.subjectRoot),
    ...(storage.inline
      ? {}
      : { beforePublish: (checkpoint) => runner.waitFor(checkpoint, config.PROJECTION_WAIT_MS) }),
  });
  storage.committed.listen((events) => relay.handOver(events));
  const catchUp = runAsSingleton({
    name: 'relay',
    owner: deps.owner,
    leases: deps.singletonLeases,
    start: () => relay.start(),
    stop: () => relay.stopCatchUp(),
    logger,
  });
  await catchUp.begin();
  return {
    async stop(): Promise<void> {
      await catchUp.end();
      await relay.stop();
    },
  };
}
