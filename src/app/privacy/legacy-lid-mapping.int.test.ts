import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../../test-support/dump-read-models.js';
import { openErasureTestBed, type ErasureTestBed } from '../../../test-support/erasure-test-bed.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import { silentLogger } from '../../logger.js';
import { allProjectors } from '../../projections/all-projectors.js';
import { inlineProjection } from '../../projections/inline-projection.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { lidsOfContact } from './contact-lids.js';
import { eraseContact } from './erase-contact.js';
import { lateLidErasure } from './late-lid-erasure.js';

const pedro = '5511933332222';
const pedroJid = `${pedro}@c.us`;
const pedroLid = '207745630986499@lid';

/** A linked-device id's mapping stored as versions before mappings were sealed stored it: its number in clear. */
describe.each(databaseKinds)('a linked-device mapping stored before mappings kept a hash, on %s', (kind) => {
  let bed: ErasureTestBed;
  const db = () => bed.db();
  const hash = () => contactHash(bed.privacy.hashSalt, 'acme', pedro);

  beforeAll(async () => {
    bed = await openErasureTestBed(kind);
    const project = inlineProjection(allProjectors);
    const unsealed = createPostgresEventStore(bed.testDb.database, {
      hooks: { withinTransaction: (trx, events) => project(readModelDb(trx), events) },
    });
    // Appends as they are given; reads the session's earlier (sealed) events opened, as its decider needs them.
    const legacy = {
      ...unsealed,
      readStream: async (...args: Parameters<typeof unsealed.readStream>) =>
        bed.privacy.codec.open(await unsealed.readStream(...args)),
    };
    await historyWriter(legacy).session(
      'acme',
      bed.acmeSession,
      { type: 'RecordLidMapping', lid: pedroLid, phoneJid: pedroJid },
      `lid:${pedroLid}:${pedroJid}`,
    );
    await unsealed.close();
    const { chat, incoming } = historyWriter(bed.store);
    const message = incoming(pedroLid, 'p-lid-0', 'Pedro pelo lid', { senderPhone: null });
    await chat('acme', bed.acmeSession, pedroLid, { type: 'RecordIncomingMessage', message }, 'p-lid-0');
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it('is still found after his erasure, by the hash his erasure gave its line', async () => {
    const mappings = await sql<{ data: object }>`select data from events
      where event_type = 'ContactLidMapped' and data->>'lid' = ${pedroLid}`.execute(db());
    expect(mappings.rows).toEqual([{ data: { lid: pedroLid, phoneJid: pedroJid } }]);
    await eraseContact({
      db: bed.testDb.database.db,
      store: bed.store,
      blobs: createPostgresBlobStore(bed.testDb.database.db),
      ...bed.privacy,
    })({
      companyId: 'acme',
      phone: pedro,
      actor: { type: 'user', id: 'admin-1' },
      correlationId: randomUUID(),
    });

    expect(await bed.logLinesOf('ContactLidMapped')).toContain(`${pedroLid} is an erased contact`);
    expect(await lidsOfContact(db(), 'acme', { phoneJid: pedroJid, contactHash: hash() })).toEqual([
      pedroLid,
    ]);
    expect(JSON.stringify(await bed.readModelsOf('acme'))).not.toContain('Pedro pelo lid');
  });

  it('erases nothing he wrote since when another session reports the mapping again', async () => {
    const { chat, incoming, session } = historyWriter(bed.store);
    const message = incoming(pedroLid, 'p-lid-1', 'Voltei pelo lid', { senderPhone: null });
    await chat('acme', bed.acmeSession, pedroLid, { type: 'RecordIncomingMessage', message }, 'p-lid-1');
    const other = randomUUID();
    await session('acme', other, {
      type: 'RegisterSession',
      companyId: 'acme',
      name: 'Outra',
      phoneNumber: null,
      tokenHash: 'sha256:y',
    });
    await session('acme', other, { type: 'RecordLidMapping', lid: pedroLid, phoneJid: pedroJid });
    const [mapping] = await bed.store.readStream(`session-${other}`, { direction: 'backwards', maxCount: 1 });
    const lateLids = lateLidErasure({
      db: bed.testDb.database.db,
      store: bed.store,
      blobs: createPostgresBlobStore(bed.testDb.database.db),
      logger: silentLogger,
      ...bed.privacy,
    });

    expect(await lateLids.takeUpCommitted([mapping!])).toBe(0);

    expect(JSON.stringify(await bed.readModelsOf('acme'))).toContain('Voltei pelo lid');
    const live = await dumpReadModels(db());
    await rebuildProjections({ db: db(), store: bed.store, projectors: allProjectors });
    expect(await dumpReadModels(db())).toEqual(live);
  });
});
