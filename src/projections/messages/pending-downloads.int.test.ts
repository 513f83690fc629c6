import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from '../all-projectors.js';
import { createProjectionRunner } from '../projection-runner.js';
import { pendingDownloads } from './pending-downloads.js';

describe('files left to keep', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'pending-downloads');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('are the announced files of the session neither kept nor given up on, and no file sent from here', async () => {
    const { chat, incoming } = historyWriter(store);
    const sessionId = randomUUID();
    const other = randomUUID();
    const joao = '5511988887777@c.us';
    const image = { mimetype: 'image/png', caption: null, fileName: null, size: 8, location: null };
    const receive = (session: string, id: string, media: typeof image | null) =>
      chat(
        'acme',
        session,
        joao,
        { type: 'RecordIncomingMessage', message: incoming(joao, id, '', { media }) },
        id,
      );
    await receive(sessionId, 'cut-short', image);
    await receive(sessionId, 'kept', image);
    await chat('acme', sessionId, joao, {
      type: 'RecordMediaDownloaded',
      waMessageId: 'kept',
      sha256: 'a'.repeat(64),
      size: 8,
      mimetype: 'image/png',
      declaredMimetype: null,
    });
    await receive(sessionId, 'gone', image);
    await chat('acme', sessionId, joao, {
      type: 'RecordMediaDownloadFailed',
      waMessageId: 'gone',
      reason: 'the file is no longer on WhatsApp',
    });
    await receive(sessionId, 'text', null);
    await receive(other, 'other-session', image);
    await chat('acme', sessionId, joao, {
      type: 'RequestMessageSend',
      messageId: randomUUID(),
      from: '5511900000000@c.us',
      body: '',
      media: { ...image, location: 'media:42' },
      idempotencyKey: null,
      requestHash: null,
      sessionConnected: true,
    });
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();

    const pending = await pendingDownloads(readModelDb(testDb.database.db), sessionId);
    expect(pending).toEqual([
      expect.objectContaining({
        companyId: 'acme',
        sessionId,
        chatJid: joao,
        waMessageId: 'cut-short',
        mimetype: 'image/png',
        declaredSize: 8,
      }),
    ]);
  });
});
