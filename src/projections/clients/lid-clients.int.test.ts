import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../../test-support/dump-read-models.js';
import { appliedTwice, oneEventAtATime } from '../../../test-support/projector-variants.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from '../all-projectors.js';
import { createProjectionRunner } from '../projection-runner.js';
import { rebuildProjections } from '../rebuild.js';

const lid = '201234567890123@lid';
const phoneJid = '5511988886666@c.us';
const [pictureA, pictureB, pictureC] = ['a', 'b', 'c'].map((digit) => digit.repeat(64)) as [
  string,
  string,
  string,
];
/** Each company's two sessions, registered when its history is first written. */
const sessionsOf = new Map<string, [string, string]>();

/**
 * Rita writes first by her linked-device id alone (named and pictured under it), then by her number; WhatsApp
 * tells the gateway whose the id is; a message and a picture still addressed by the id arrive after that
 * (another process did not know yet), the mapping is reported again by the other session, and one more message
 * comes by the id.
 */
async function writeLidHistory(store: EventStore, companyId: string, until: 'first mapping' | 'all') {
  const { chat, incoming, session } = historyWriter(store);
  let sessions = sessionsOf.get(companyId);
  if (!sessions) {
    sessions = [randomUUID(), randomUUID()];
    sessionsOf.set(companyId, sessions);
    for (const sessionId of sessions)
      await session(companyId, sessionId, {
        type: 'RegisterSession',
        companyId,
        name: `Atendimento ${sessionId.slice(0, 4)}`,
        phoneNumber: null,
        tokenHash: 'sha256:x',
      });
  }
  const [first, second] = sessions;
  const message = (sessionId: string, chatJid: string, id: string, extra: Parameters<typeof incoming>[3]) =>
    chat(
      companyId,
      sessionId,
      chatJid,
      { type: 'RecordIncomingMessage', message: incoming(chatJid, id, 'Oi', extra) },
      id,
    );
  const picture = (sessionId: string, sha256: string, key: string) =>
    chat(
      companyId,
      sessionId,
      lid,
      { type: 'RecordContactPicture', contactJid: lid, phone: lid, sha256, size: 10, mimetype: 'image/jpeg' },
      key,
    );
  await message(first, lid, 'l1', { senderName: null, senderPhone: null });
  await picture(first, pictureA, 'picture-a');
  await chat(
    companyId,
    first,
    lid,
    { type: 'RecordContactName', contactJid: lid, phone: lid, name: 'Rita' },
    'name-rita',
  );
  await message(second, phoneJid, 'p1', { senderName: 'Rita Souza' });
  await chat(
    companyId,
    second,
    phoneJid,
    {
      type: 'RecordContactPicture',
      contactJid: phoneJid,
      phone: '5511988886666',
      sha256: pictureC,
      size: 10,
      mimetype: 'image/jpeg',
    },
    'picture-c',
  );
  await session(companyId, first, { type: 'RecordLidMapping', lid, phoneJid });
  if (until === 'first mapping') return;
  await message(second, lid, 'l2', { senderName: 'Rita L', senderPhone: null });
  await picture(second, pictureB, 'picture-b');
  await session(companyId, second, { type: 'RecordLidMapping', lid, phoneJid });
  // And once more, after the last report of the mapping.
  await message(first, lid, 'l3', { senderName: null, senderPhone: null });
}

type ClientRow = {
  Company_Id: string;
  Wa_Number: string;
  Client_Name: string | null;
  Profile_Picture_Url: string | null;
  Profile_Picture_Sha256: string | null;
};

describe.each(databaseKinds)('Clients of contacts known by a linked-device id, on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'lid-clients');
    sessionsOf.clear();
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  const clients = async () => {
    const rows = ((await dumpReadModels(readModelDb(testDb.database.db))).Clients ?? []) as ClientRow[];
    return rows
      .filter((row) => row.Company_Id === 'acme')
      .map(({ Wa_Number, Client_Name, Profile_Picture_Url, Profile_Picture_Sha256 }) => ({
        Wa_Number,
        Client_Name,
        Profile_Picture_Url,
        Profile_Picture_Sha256,
      }))
      .sort((a, b) => a.Wa_Number.localeCompare(b.Wa_Number));
  };

  it('keeps the id’s row until the id is learned to be a number’s, then merges it into the number’s', async () => {
    const db = readModelDb(testDb.database.db);
    const runner = createProjectionRunner({ db, store, projectors: allProjectors, maxBatchSize: 3 });
    await runner.start();
    await writeLidHistory(store, 'acme', 'first mapping');
    await runner.waitUntilCaughtUp();
    const second = sessionsOf.get('acme')![1];
    // The number's own message is newer, so its name stays, and so does its own picture.
    expect(await clients()).toEqual([
      {
        Wa_Number: '5511988886666',
        Client_Name: 'Rita Souza',
        Profile_Picture_Url: `/whatsapp/sessions/${second}/contacts/${phoneJid}/picture`,
        Profile_Picture_Sha256: pictureC,
      },
    ]);

    await Promise.all([writeLidHistory(store, 'acme', 'all'), writeLidHistory(store, 'globex', 'all')]);
    await runner.waitUntilCaughtUp();
    await runner.stop();
    // What came by the id since goes to the number's row: the newer message's name, the newer picture.
    expect(await clients()).toEqual([
      {
        Wa_Number: '5511988886666',
        Client_Name: 'Rita L',
        Profile_Picture_Url: `/whatsapp/sessions/${second}/contacts/${phoneJid}/picture`,
        Profile_Picture_Sha256: pictureB,
      },
    ]);
  });

  it('rebuilds the live rows, batched, one event at a time, and applied twice', async () => {
    const db = readModelDb(testDb.database.db);
    const live = await dumpReadModels(db);
    await rebuildProjections({ db, store, projectors: allProjectors });
    expect(await dumpReadModels(db)).toEqual(live);

    const oneByOne = oneEventAtATime(allProjectors);
    await rebuildProjections({ db, store, projectors: oneByOne });
    expect(await dumpReadModels(db)).toEqual(live);

    const twice = appliedTwice(allProjectors);
    await rebuildProjections({ db, store, projectors: twice });
    expect(await dumpReadModels(db)).toEqual(live);
  });
});
