import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  equipe,
  joao,
  joaoJid,
  joaoLid,
  lateLid,
  lateLidTexts,
  openErasureTestBed,
  type ErasureTestBed,
} from '../../../test-support/erasure-test-bed.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { silentLogger } from '../../logger.js';
import { eraseContact } from './erase-contact.js';
import { lateLidErasure } from './late-lid-erasure.js';

/** Another linked-device id of João's, learned after his erasure while the live reaction and a sweep both run. */
const thirdLid = '207745630986431@lid';
/** And one whose erasure a process took up, then stopped between destroying its key and erasing its chats. */
const fourthLid = '207745630986432@lid';
/** And one whose line in the logs was scrubbed (it came between the erasure and the scrub) before anyone acted. */
const fifthLid = '207745630986433@lid';
/** And one learned by a session that never had a chat with it. */
const sixthLid = '207745630986434@lid';

describe.each(databaseKinds)('the late linked-device erasure sweep on %s', (kind) => {
  let bed: ErasureTestBed;
  let lateLids: ReturnType<typeof lateLidErasure>;
  const db = () => bed.db();
  const chatStream = (chatJid: string) => `chat-${bed.acmeSession}_${chatJid}`;
  const chatErasedIn = async (chatJid: string) =>
    (await bed.store.readStream(chatStream(chatJid))).filter((event) => event.type === 'ChatErased');
  const lidKeys = async (lid: string) =>
    (
      await sql`select 1 from contact_keys where company_id = 'acme' and contact = ${`lid:${lid}`}`.execute(
        db(),
      )
    ).rows.length;
  const eventCount = async () =>
    Number(
      (await sql<{ count: string }>`select count(*)::text as count from events`.execute(db())).rows[0]!.count,
    );
  /** A message of João's by that linked-device id alone, in its own chat. */
  const writeByLid = async (lid: string, waMessageId: string, body: string) => {
    const { chat, incoming } = historyWriter(bed.store);
    const message = incoming(lid, waMessageId, body, { senderPhone: null });
    await chat('acme', bed.acmeSession, lid, { type: 'RecordIncomingMessage', message }, waMessageId);
  };
  const learn = async (lid: string) => {
    // Recorded with no live reaction listening: as if the process stopped right after committing it.
    await historyWriter(bed.store).session('acme', bed.acmeSession, {
      type: 'RecordLidMapping',
      lid,
      phoneJid: joaoJid,
    });
    const [mapping] = await bed.store.readStream(`session-${bed.acmeSession}`, {
      direction: 'backwards',
      maxCount: 1,
    });
    expect(mapping!.type).toBe('ContactLidMapped');
    return mapping!;
  };

  beforeAll(async () => {
    bed = await openErasureTestBed(kind);
    const deps = { db: bed.testDb.database.db, store: bed.store, ...bed.privacy };
    const blobs = createPostgresBlobStore(bed.testDb.database.db);
    await eraseContact({ ...deps, blobs })({
      companyId: 'acme',
      phone: joao,
      actor: { type: 'user', id: 'admin-1' },
      correlationId: randomUUID(),
    });
    lateLids = lateLidErasure({ ...deps, blobs, logger: silentLogger, batchSize: 2 });
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it('erases a linked-device id whose mapping was recorded after the erasure but never acted on', async () => {
    await learn(lateLid);
    const before = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of lateLidTexts) expect(before).toContain(text);
    expect(await lidKeys(lateLid)).toBe(1);

    expect(await lateLids.sweep()).toBe(1);

    const after = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of lateLidTexts) expect(after).not.toContain(text);
    expect(await lidKeys(lateLid)).toBe(0);
    const chat = await bed.store.readStream(chatStream(lateLid));
    expect(chat[0]!.data).toMatchObject({ waMessageId: 'in-late-lid-0', body: '', erased: true });
    expect(chat.at(-1)!.type).toBe('ChatErased');
    const group = JSON.stringify((await bed.store.readStream(chatStream(equipe))).map((e) => e.data));
    for (const text of lateLidTexts) expect(group).not.toContain(text);
    expect(group).toContain('Reunião às 10h');
  });

  it('erases nothing more when it runs again, even after the contact writes again by that id', async () => {
    await writeByLid(lateLid, 'in-late-lid-after', 'De volta pelo outro aparelho');
    const events = await eventCount();

    expect(await lateLids.sweep()).toBe(0);
    // Reported again, the mapping erases nothing either (what he wrote since is new data).
    expect(await lateLids.takeUpCommitted([await learn(lateLid)])).toBe(0);
    expect(await lateLids.sweep()).toBe(0);

    expect(await eventCount()).toBe(events + 1);
    expect(await chatErasedIn(lateLid)).toHaveLength(1);
    expect(await lidKeys(lateLid)).toBe(1);
    const [latest] = await bed.store.readStream(chatStream(lateLid), { direction: 'backwards', maxCount: 1 });
    expect(latest!.data).toMatchObject({ body: 'De volta pelo outro aparelho' });
    expect(JSON.stringify(await bed.readModelsOf('acme'))).toContain('De volta pelo outro aparelho');
  });

  it('erases once when the live reaction and a sweep take up the same mapping together', async () => {
    await writeByLid(thirdLid, 'in-third-lid-0', 'Pelo terceiro aparelho');
    const mapping = await learn(thirdLid);
    // Both append their ChatErased only once both are there: neither has finished when the other takes it up.
    const together = lateLidErasure({
      db: bed.testDb.database.db,
      store: meetingAtChatErased(bed.store),
      blobs: createPostgresBlobStore(bed.testDb.database.db),
      logger: silentLogger,
      ...bed.privacy,
    });
    await Promise.all([together.takeUpCommitted([mapping]), together.sweep()]);

    expect(await chatErasedIn(thirdLid)).toHaveLength(1);
    expect(await lidKeys(thirdLid)).toBe(0);
    expect(JSON.stringify(await bed.readModelsOf('acme'))).not.toContain('Pelo terceiro aparelho');
    const [received] = await bed.store.readStream(chatStream(thirdLid), { maxCount: 1 });
    expect(received!.data).toMatchObject({ body: '', erased: true });
    expect(await lateLids.sweep()).toBe(0);
    expect(await chatErasedIn(thirdLid)).toHaveLength(1);
  });

  it('finishes an erasure a process took up and left halfway, whenever its mapping was recorded', async () => {
    await writeByLid(fourthLid, 'in-fourth-lid-0', 'Pelo quarto aparelho');
    const mapping = await learn(fourthLid);
    await sql`insert into late_lid_erasures (company_id, lid, mapping_id, key_destroyed)
      values ('acme', ${fourthLid}, ${mapping.id}, true)`.execute(db());
    await sql`delete from contact_keys where company_id = 'acme' and contact = ${`lid:${fourthLid}`}`.execute(
      db(),
    );
    expect(JSON.stringify(await bed.readModelsOf('acme'))).toContain('Pelo quarto aparelho');

    // A periodic sweep, whose window the mapping is long out of.
    expect(await lateLids.sweep(new Date())).toBe(1);

    expect(JSON.stringify(await bed.readModelsOf('acme'))).not.toContain('Pelo quarto aparelho');
    expect(await chatErasedIn(fourthLid)).toHaveLength(1);
    expect(await lateLids.sweep()).toBe(0);
  });

  it('erases a linked-device id whose line was scrubbed before it was acted on, by the contact hash it keeps', async () => {
    // Recorded between the erasure and the scrub of his lines: the line names no number any more.
    await writeByLid(fifthLid, 'in-fifth-lid-0', 'Pelo quinto aparelho');
    await learn(fifthLid);
    await sql`update "Session_Logs" set "Metadata" = "Metadata" || '{"phoneJid": ""}'::jsonb
      where "Event_Type" = 'ContactLidMapped' and "Metadata"->>'lid' = ${fifthLid}`.execute(db());

    expect(await lateLids.sweep()).toBe(1);

    expect(JSON.stringify(await bed.readModelsOf('acme'))).not.toContain('Pelo quinto aparelho');
    expect(await lidKeys(fifthLid)).toBe(0);
  });

  it('keeps what he wrote since by an id known at his erasure, when another session learns that id late', async () => {
    await writeByLid(joaoLid, 'in-lid-after', 'De novo pelo lid');
    const { session } = historyWriter(bed.store);
    const otherSession = randomUUID();
    await session('acme', otherSession, {
      type: 'RegisterSession',
      companyId: 'acme',
      name: 'Suporte',
      phoneNumber: null,
      tokenHash: 'sha256:z',
    });
    // His erasure scrubbed the first session's line: only his hash there says it was his id.
    await session('acme', otherSession, { type: 'RecordLidMapping', lid: joaoLid, phoneJid: joaoJid });

    expect(await lateLids.sweep()).toBe(0);

    expect(await lidKeys(joaoLid)).toBe(1);
    expect(JSON.stringify(await bed.readModelsOf('acme'))).toContain('De novo pelo lid');
  });

  it('takes the number out of the line of a session that learned a late id but has no chat with it', async () => {
    const { session } = historyWriter(bed.store);
    const other = randomUUID();
    await session('acme', other, {
      type: 'RegisterSession',
      companyId: 'acme',
      name: 'Cobrança',
      phoneNumber: null,
      tokenHash: 'sha256:w',
    });
    await session('acme', other, { type: 'RecordLidMapping', lid: sixthLid, phoneJid: joaoJid });
    const [mapping] = await bed.store.readStream(`session-${other}`, { direction: 'backwards', maxCount: 1 });

    expect(await lateLids.takeUpCommitted([mapping!])).toBe(1);

    const lines = await sql<{ Message: string }>`select "Message" from "Session_Logs"
      where "Session_Id" = ${other} and "Event_Type" = 'ContactLidMapped'`.execute(db());
    expect(lines.rows.map((line) => line.Message)).toEqual([`${sixthLid} is an erased contact`]);
  });
});

/** The store, whose first ChatErased append waits (up to a second) for a second one, then both go on. */
function meetingAtChatErased(store: EventStore): EventStore {
  let arrived = 0;
  let meet = () => undefined as void;
  const met = new Promise<void>((resolve) => {
    meet = resolve;
    setTimeout(resolve, 1000).unref();
  });
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<EventStore['append']>) => {
        if (args[1].some((event) => event.type === 'ChatErased') && ++arrived <= 2) {
          if (arrived === 2) meet();
          await met;
        }
        return target.append(...args);
      };
    },
  });
}
