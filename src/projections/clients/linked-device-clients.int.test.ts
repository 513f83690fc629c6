import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { toProjectedEvent, type ProjectedEvent } from '../projected-event.js';
import { clientsProjector } from './clients-projector.js';
import { contactPictureOf } from './contact-picture.js';

const lid = '201234567890123@lid';
const phoneJid = '5511988886666@c.us';
const phone = '5511988886666';
const [pictureA, pictureC] = ['a', 'c'].map((digit) => digit.repeat(64)) as [string, string];

/** A review's findings on linked-device ids' Clients rows, each failing before its fix. */
describe('Clients rows of linked-device ids, applied again, concurrently, and asked for their picture', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'linked-device-clients');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  const db = () => readModelDb(testDb.database.db);
  const rowsOf = async (companyId: string) =>
    JSON.parse(
      JSON.stringify(
        await db()
          .selectFrom('Clients')
          .selectAll()
          .where('Company_Id', '=', companyId)
          .orderBy('Wa_Number')
          .execute(),
      ),
    ) as Record<string, unknown>[];
  /** The company's events, once its last (the mapping) can be read: the store shows a commit a moment later. */
  const eventsOf = async (companyId: string): Promise<ProjectedEvent[]> => {
    let events: ProjectedEvent[] = [];
    await eventually(async () => {
      events = (await store.readAll({ maxCount: 100_000 }))
        .filter((event) => event.metadata.companyId === companyId)
        .map(toProjectedEvent);
      return events.at(-1)?.type === 'ContactLidMapped';
    });
    return events;
  };
  const project = (events: ProjectedEvent[]) =>
    db()
      .transaction()
      .execute((trx) => clientsProjector.project(trx, events));

  /** A company of its own with one session, and what writes its history. */
  async function company(label: string) {
    const companyId = `${label}-${randomUUID()}`;
    const sessionId = randomUUID();
    const writer = historyWriter(store);
    await writer.session(companyId, sessionId, {
      type: 'RegisterSession',
      companyId,
      name: 'Atendimento',
      phoneNumber: null,
      tokenHash: 'sha256:x',
    });
    const message = (jid: string, id: string, extra: Parameters<typeof writer.incoming>[3] = {}) =>
      writer.chat(
        companyId,
        sessionId,
        jid,
        { type: 'RecordIncomingMessage', message: writer.incoming(jid, id, 'Oi', extra) },
        id,
      );
    const pictured = (jid: string, key: string, sha256: string) =>
      writer.chat(
        companyId,
        sessionId,
        jid,
        {
          type: 'RecordContactPicture',
          contactJid: jid,
          phone: key,
          sha256,
          size: 10,
          mimetype: 'image/jpeg',
        },
        `picture-${sha256}`,
      );
    const mapped = () => writer.session(companyId, sessionId, { type: 'RecordLidMapping', lid, phoneJid });
    return { companyId, message, pictured, mapped };
  }

  it('leaves the rows as they were when the events are applied again (the number pictured before the id)', async () => {
    const { companyId, message, pictured, mapped } = await company('twice');
    await message(phoneJid, 'p1');
    await pictured(phoneJid, phone, pictureC);
    await message(lid, 'l1', { senderName: null, senderPhone: null });
    await pictured(lid, lid, pictureA);
    await mapped();
    const events = await eventsOf(companyId);

    await project(events);
    const once = await rowsOf(companyId);
    expect(once).toMatchObject([{ Wa_Number: phone, Profile_Picture_Sha256: pictureC }]);
    await project(events);
    expect(await rowsOf(companyId)).toEqual(once);
  });

  it('merges a message by the id projected at the same time as the id’s mapping, in either order', async () => {
    for (const mappingFirst of [true, false]) {
      const { companyId, message, mapped } = await company('race');
      await message(lid, 'r1', { senderName: 'Rita', senderPhone: null });
      await mapped();
      const events = await eventsOf(companyId);
      const byLid = events.find((event) => event.type === 'MessageReceived')!;
      const mapping = events.find((event) => event.type === 'ContactLidMapped')!;
      const [first, second] = mappingFirst ? [mapping, byLid] : [byLid, mapping];

      // The first transaction projects its event and waits; the second starts meanwhile.
      let projected!: () => void;
      const firstProjected = new Promise<void>((resolve) => (projected = resolve));
      let commit!: () => void;
      const mayCommit = new Promise<void>((resolve) => (commit = resolve));
      const a = db()
        .transaction()
        .execute(async (trx) => {
          await clientsProjector.project(trx, [first]);
          projected();
          await mayCommit;
        });
      await firstProjected;
      const b = db()
        .transaction()
        .execute((trx) => clientsProjector.project(trx, [second]));
      await Promise.race([b, new Promise((resolve) => setTimeout(resolve, 500))]);
      commit();
      await Promise.all([a, b]);
      expect(
        (await rowsOf(companyId)).map((row) => row.Wa_Number),
        `mapping first: ${mappingFirst}`,
      ).toEqual([phone]);
    }
  });

  it('tells the picture of an id learned to be a number’s from the number’s row', async () => {
    const { companyId, message, pictured, mapped } = await company('known');
    await message(lid, 'k1', { senderName: null, senderPhone: null });
    await pictured(lid, lid, pictureA);
    await mapped();
    await project(await eventsOf(companyId));
    expect(await rowsOf(companyId)).toMatchObject([{ Wa_Number: phone, Profile_Picture_Sha256: pictureA }]);
    expect(await contactPictureOf(db(), companyId, lid)).toBe(pictureA);
    expect(await contactPictureOf(db(), companyId, phone)).toBe(pictureA);
    expect(await contactPictureOf(db(), companyId, '209999999999999@lid')).toBeNull();
  });
});
