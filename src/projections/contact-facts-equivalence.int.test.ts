import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { oneEventAtATime } from '../../test-support/projector-variants.js';
import { historyWriter } from '../../test-support/realistic-history.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { createProjectionRunner } from './projection-runner.js';
import { rebuildProjections } from './rebuild.js';

const [pictureA, pictureB, photo] = ['a', 'b', 'c'].map((digit) => digit.repeat(64)) as [
  string,
  string,
  string,
];

/**
 * The facts issue 16 added (ContactPictureKept, ContactNamed, MediaDownloaded, MediaDeleted), interleaved with
 * messages of one contact on two sessions of a company: a rebuild gives the live rows, and a batch gives the
 * rows of its events one by one.
 */
async function writeContactHistory(store: EventStore, companyId: string): Promise<void> {
  const { chat, incoming } = historyWriter(store);
  const contact = '5511988881234@c.us';
  const [first, second] = [randomUUID(), randomUUID()];
  const picture = (sessionId: string, sha256: string, key: string) =>
    chat(
      companyId,
      sessionId,
      contact,
      {
        type: 'RecordContactPicture',
        contactJid: contact,
        phone: '5511988881234',
        sha256,
        size: 10,
        mimetype: 'image/jpeg',
      },
      key,
    );
  const message = (sessionId: string, id: string, extra: Parameters<typeof incoming>[3]) =>
    chat(
      companyId,
      sessionId,
      contact,
      { type: 'RecordIncomingMessage', message: incoming(contact, id, '', extra) },
      id,
    );
  const media = { mimetype: 'image/jpeg', caption: null, fileName: null, size: 10, location: null };

  await message(first, 'm1', { senderName: null });
  await chat(
    companyId,
    first,
    contact,
    { type: 'RecordContactName', contactJid: contact, phone: '5511988881234', name: 'Ana da Padaria' },
    'name-1',
  );
  await picture(first, pictureA, 'picture-1');
  await message(first, 'm2', { senderName: null, type: 'image', media });
  await chat(
    companyId,
    first,
    contact,
    {
      type: 'RecordMediaDownloaded',
      waMessageId: 'm2',
      sha256: photo,
      size: 10,
      mimetype: 'image/jpeg',
      declaredMimetype: null,
    },
    'media-m2',
  );
  await message(second, 'm3', { senderName: 'Ana', type: 'image', media });
  await chat(
    companyId,
    second,
    contact,
    {
      type: 'RecordMediaDownloaded',
      waMessageId: 'm3',
      sha256: photo,
      size: 10,
      mimetype: 'image/jpeg',
      declaredMimetype: null,
    },
    'media-m3',
  );
  await picture(second, pictureB, 'picture-2');
  await chat(
    companyId,
    first,
    contact,
    {
      type: 'RecordMediaDeleted',
      waMessageId: 'm2',
      sha256: photo,
      reason: 'deleted after MEDIA_RETENTION_DAYS',
    },
    'deleted-m2',
  );
  await picture(first, pictureA, 'picture-3');
  await message(second, 'm4', { senderName: null });
}

describe.each(databaseKinds)('replaying contact facts and media deletions on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'contact-facts-replay');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('rebuilds exactly the rows the live projections built, batched or one event at a time', async () => {
    const db = readModelDb(testDb.database.db);
    const runner = createProjectionRunner({ db, store, projectors: allProjectors, maxBatchSize: 3 });
    await runner.start();
    await Promise.all([writeContactHistory(store, 'acme'), writeContactHistory(store, 'globex')]);
    await runner.waitUntilCaughtUp();
    await runner.stop();
    const live = await dumpReadModels(db);
    const clients = (live.Clients ?? []) as {
      Client_Name: string | null;
      Profile_Picture_Sha256: string | null;
    }[];
    expect(clients).toHaveLength(2);
    for (const client of clients) expect(client).toMatchObject({ Profile_Picture_Sha256: pictureA });
    expect(clients.map((client) => client.Client_Name)).toEqual(['Ana', 'Ana']);
    const files = (live.Messages ?? []) as { Wa_Message_Id: string; Media_Sha256: string | null }[];
    const fileOf = (id: string) =>
      files.filter((row) => row.Wa_Message_Id === id).map((row) => row.Media_Sha256);
    expect(fileOf('m2')).toEqual([null, null]);
    expect(fileOf('m3')).toEqual([photo, photo]);

    await rebuildProjections({ db, store, projectors: allProjectors });
    expect(await dumpReadModels(db)).toEqual(live);
    const oneByOne = oneEventAtATime(allProjectors);
    await rebuildProjections({ db, store, projectors: oneByOne });
    expect(await dumpReadModels(db)).toEqual(live);
  });
});
