import { contactPictureOf } from '../projections/clients/contact-picture.js';
import type { Bus } from '../adapters/bus/port.js';
import { openBlobWritePool } from '../adapters/media/blob-write-pool.js';
import { openBlobStore } from '../adapters/media/open-blob-store.js';
import { autoRead } from '../app/auto-read.js';
import { watchConnectedHere } from '../app/connected-here.js';
import type { CommandHandler } from '../app/command-handler.js';
import { createContactProfiles } from '../app/contacts/contact-profiles.js';
import { createMediaDownloads } from '../app/media-downloads.js';
import { createNumberCheck } from '../app/number-check.js';
import { sessionDriverCalls } from '../app/session-driver-calls.js';
import type { SessionSupervisor } from '../app/session-supervisor.js';
import type { IntakeLoad } from '../app/intake-load.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { pendingDownloads } from '../projections/messages/pending-downloads.js';
import { liveOwnerOf } from '../projections/sessions/session-supervision.js';
import type { EventStorage } from './event-storage.js';
import { startMediaRetention } from './media-retention.js';
import { startOutgoingOrphanSweep } from './outgoing-orphan-sweep.js';

/**
 * Longest wait of a kept file's chunk for the facts being recorded. Measured with the media bench (bench/README,
 * "Facts first"): texts' p99 while 100 images arrive 108-127 ms with it, 148-210 ms without, in the same session.
 */
const chunkMaxYieldMs = 100;

/**
 * What a session's connection does besides sending, on the process that runs it: number checks, read receipts
 * (and AUTO_READ), and the download of incoming media into the content-addressed store (files left pending by
 * a crash or a lost session are taken up again when their session connects here).
 */
export async function wireContactsAndMedia(
  storage: EventStorage,
  deps: {
    config: Config;
    bus: Bus;
    controlRoot: string;
    owner: string;
    handle: CommandHandler;
    supervisor: SessionSupervisor;
    logger: Logger;
    intake: IntakeLoad;
  },
) {
  const { db, committed } = storage;
  const { config, handle, supervisor, logger } = deps;
  const driverCalls = sessionDriverCalls({
    bus: deps.bus,
    controlRoot: deps.controlRoot,
    owner: deps.owner,
    local: (sessionId) => supervisor.driverSession(sessionId),
    ownerOf: (sessionId) => liveOwnerOf(db, sessionId),
  });
  const serving = await driverCalls.serve();
  const writePool =
    config.DATABASE_URL && !config.MEDIA_S3_BUCKET
      ? openBlobWritePool(config.DATABASE_URL, config.MEDIA_DOWNLOAD_CONCURRENCY)
      : undefined;
  // A chunk is written while no fact is being recorded, or after a short wait: files can wait, facts cannot. Only
  // over a pool of its own: on the embedded database a file's transaction holds the one connection the facts
  // need, so waiting there would hold them back instead.
  const blobs = openBlobStore(
    config,
    db,
    writePool?.db,
    writePool && (() => deps.intake.yieldTo(0, chunkMaxYieldMs)),
  );
  const mediaDownloads = createMediaDownloads({
    handle,
    blobs,
    driverSession: (sessionId) => supervisor.driverSession(sessionId),
    maxBytes: config.MEDIA_MAX_BYTES,
    logger,
    concurrency: config.MEDIA_DOWNLOAD_CONCURRENCY,
  });
  committed.listen((events) => mediaDownloads.takeUpCommitted(events));
  const takeUpPending = (sessionId: string) =>
    void pendingDownloads(db, sessionId).then(
      (pending) => mediaDownloads.takeUpPending(pending),
      (error: unknown) => logger.warn({ err: error, sessionId }, 'Could not look for files left to keep'),
    );
  const stopWatchingConnections = watchConnectedHere(committed, supervisor, (_connected, sessionId) =>
    takeUpPending(sessionId),
  );
  const contactProfiles = createContactProfiles({
    handle,
    blobs,
    driverSession: (sessionId) => supervisor.driverSession(sessionId),
    knownPicture: (companyId, clientKey) => contactPictureOf(db, companyId, clientKey),
    logger,
  });
  committed.listen((events) => contactProfiles.takeUpCommitted(events));
  const numberCheck = createNumberCheck({
    ask: (sessionId, phone) => driverCalls.checkNumber(sessionId, phone),
    ttlMs: config.NUMBER_CHECK_TTL_MS,
  });
  if (config.AUTO_READ)
    committed.listen(
      autoRead({
        handle,
        markSeen: (sessionId, chatJid) => driverCalls.markSeen(sessionId, chatJid),
        runsHere: (sessionId) => supervisor.driverSession(sessionId) !== undefined,
        logger,
      }),
    );
  const retention = await startMediaRetention({
    config,
    db,
    blobs,
    handle,
    owner: deps.owner,
    logger,
  });
  const orphanSweep = await startOutgoingOrphanSweep({ config, db, owner: deps.owner, logger });
  return {
    driverCalls,
    numberCheck,
    blobs,
    unsubscribe: async () => {
      stopWatchingConnections();
      await serving.unsubscribe();
      await retention?.end();
      await orphanSweep.end();
    },
    drain: () => Promise.all([mediaDownloads.drain(), contactProfiles.drain()]).then(() => undefined),
    /** Closes the connections kept files are written through; after `drain`. */
    close: async () => {
      await writePool?.close();
    },
  };
}
