import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import type { DriverSession } from '../../adapters/whatsapp/port.js';
import { silentLogger } from '../../logger.js';
import { allProjectors } from '../../projections/all-projectors.js';
import { pendingDownloads } from '../../projections/messages/pending-downloads.js';
import { createProjectionRunner } from '../../projections/projection-runner.js';
import { createCommandHandler } from '../command-handler.js';
import { createMediaDownloads } from '../media-downloads.js';

/**
 * Two gateway processes on one database. The first records a message with a file and starts its download, then
 * dies in the middle of it (its download never ends, nothing more is recorded). The session connects on the second
 * process, which finds the file still pending in the read model and keeps it.
 */
describe('a download cut short by its process dying', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'download-resume');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  const project = async () => {
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
  };
  const processWith = (downloadMedia: () => Promise<Buffer>) =>
    createMediaDownloads({
      handle: createCommandHandler(store),
      blobs: createPostgresBlobStore(testDb.database.db),
      driverSession: () => ({ downloadMedia }) as unknown as DriverSession,
      maxBytes: 1_000_000,
      logger: silentLogger,
    });

  it('is finished by the process the session connects on next', async () => {
    const db = readModelDb(testDb.database.db);
    const { chat, incoming } = historyWriter(store);
    const sessionId = randomUUID();
    const joao = '5511988887777@c.us';
    const photo = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.from('a photo of the invoice')]);
    const media = {
      mimetype: 'image/jpeg',
      caption: null,
      fileName: null,
      size: photo.length,
      location: null,
    };
    await chat(
      'acme',
      sessionId,
      joao,
      { type: 'RecordIncomingMessage', message: incoming(joao, 'photo', '', { media }) },
      'photo',
    );
    await project();

    let downloadStarted = () => undefined as void;
    const started = new Promise<void>((resolve) => (downloadStarted = resolve));
    const dying = processWith(() => {
      downloadStarted();
      return new Promise<Buffer>(() => undefined);
    });
    dying.takeUpPending(await pendingDownloads(db, sessionId));
    await started;

    const next = processWith(() => Promise.resolve(photo));
    next.takeUpPending(await pendingDownloads(db, sessionId));
    await next.drain();
    await project();

    const sha256 = createHash('sha256').update(photo).digest('hex');
    const row = await db
      .selectFrom('Messages')
      .select(['Media_Sha256', 'Media_Download_Error'])
      .where('Session_Id', '=', sessionId)
      .where('Wa_Message_Id', '=', 'photo')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ Media_Sha256: sha256, Media_Download_Error: null });
    expect(await pendingDownloads(db, sessionId)).toEqual([]);
    expect(await createPostgresBlobStore(db).stat('acme', sha256)).toEqual({
      mimetype: 'image/jpeg',
      size: photo.length,
    });
  });
});
