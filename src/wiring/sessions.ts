import { join } from 'node:path';
import { eventPattern, type Bus, type BusSubscription } from '../adapters/bus/port.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';
import { parseDataKey } from '../adapters/privacy/data-key.js';
import { openFileFactSpool } from '../adapters/spool/file-fact-spool.js';
import type { WhatsAppDriver } from '../adapters/whatsapp/port.js';
import type { CommandHandler } from '../app/command-handler.js';
import { replaySpool } from '../app/durable-fact-recording.js';
import { deadOwnersOnThisHost } from '../app/lease-owner.js';
import { askToRestore, processIsGone } from '../app/process-presence.js';
import { createSessionSupervisor } from '../app/session-supervisor.js';
import type { IntakeLoad } from '../app/intake-load.js';
import { confirmStopped } from '../app/stop-confirmation.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import {
  liveOwnerOf,
  recordHeartbeats,
  sessionsAskedToStop,
  sessionsToRestore,
} from '../projections/sessions/session-supervision.js';
import type { EventStorage } from './event-storage.js';

/**
 * The session supervisor and what it needs: leases in the database (on PGlite too: the session reads join them,
 * so a session is connected only while it runs), the local spool of facts, and the bus for stops asked of other
 * processes and for telling a dead process from a slow one.
 */
export async function wireSessions(
  storage: EventStorage,
  deps: {
    config: Config;
    bus: Bus;
    subjectRoot: string;
    controlRoot: string;
    owner: string;
    handle: CommandHandler;
    driver: WhatsAppDriver;
    logger: Logger;
    intake: IntakeLoad;
  },
) {
  const { db } = storage;
  const { config, bus, logger } = deps;
  const leases = createPostgresSessionLeases(db);
  const spool = await openFileFactSpool(join(config.DATA_DIR, 'spool'), {
    maxFacts: config.SPOOL_MAX_FACTS,
    dataKey: config.DATA_KEY === undefined ? undefined : parseDataKey(config.DATA_KEY),
  });
  const supervisor = createSessionSupervisor({
    spool,
    intake: deps.intake,
    leases,
    owner: deps.owner,
    sessionsToStop: (sessionIds) => sessionsAskedToStop(db, sessionIds),
    untilStoppedElsewhere: (sessionId) =>
      confirmStopped(sessionId, {
        ownerOf: () => liveOwnerOf(db, sessionId),
        isGone: (other) => processIsGone(bus, deps.controlRoot, other),
        releaseFrom: (other) => leases.release(sessionId, other),
      }),
    handle: deps.handle,
    driver: deps.driver,
    sessionsToRestore: () => sessionsToRestore(db),
    recordHeartbeats: (ids, at) => recordHeartbeats(db, ids, at),
    logger,
    heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
    rebalanceStep: config.SESSION_REBALANCE_STEP,
    nudge: (other) => void askToRestore(bus, deps.controlRoot, other),
  });
  let stopSubscriptions: BusSubscription[] = [];

  return {
    supervisor,
    leases,
    spool,

    /**
     * Takes part in the cluster: stops asked of other processes reach this one through the bus; an earlier run
     * on this host that died gives its sessions back at once; facts left in the spool are stored; then the
     * sessions that should run are restored and the heartbeat starts.
     */
    async begin(): Promise<void> {
      stopSubscriptions = await Promise.all(
        (['SessionStopRequested', 'SessionDeleted'] as const).map((type) =>
          bus.subscribe(eventPattern(deps.subjectRoot, { eventType: type }), (message) => {
            supervisor
              .stoppedElsewhere(
                message.sessionId,
                message.companyId,
                type === 'SessionDeleted',
                new Date(message.recordedAt),
              )
              .catch((error: unknown) =>
                logger.error(
                  { err: error, sessionId: message.sessionId },
                  'Could not stop a session stopped elsewhere',
                ),
              );
          }),
        ),
      );
      const deadOwners = deadOwnersOnThisHost(await leases.owners(), deps.owner);
      if (deadOwners.length) {
        logger.info(
          { owners: deadOwners },
          'Reclaiming the sessions of gateway processes of this host that are gone',
        );
        await leases.releaseAllOf(deadOwners);
      }
      const replayed = await replaySpool(spool, deps.handle, logger);
      if (replayed) logger.info({ facts: replayed }, 'Stored the facts left in the spool');
      const restored = await supervisor.restoreAll();
      if (restored) logger.info({ sessions: restored }, 'Restoring sessions that were running');
      supervisor.startHeartbeat();
    },

    async unsubscribe(): Promise<void> {
      await Promise.all(stopSubscriptions.map((subscription) => subscription.unsubscribe()));
    },
  };
}
