import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../../test-support/dump-read-models.js';
import { historyWriter, writeRealisticHistory } from '../../../test-support/realistic-history.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../test-support/test-databases.js';
import { writeAnchor } from '../../adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../../adapters/audit/signing-key-store.js';
import { verifyPostgresStore } from '../../adapters/audit/verify-postgres-store.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { webhookFanOut } from '../../adapters/db/webhooks/webhook-fan-out.js';
import { webhookFrameOf } from '../../api/webhook-frame-data.js';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { openPrivacy, type Privacy } from '../../adapters/privacy/open-privacy.js';
import { allProjectors } from '../../projections/all-projectors.js';
import { inlineProjection } from '../../projections/inline-projection.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import { eraseContact } from './erase-contact.js';
import { createMemoryBus } from '../../adapters/bus/memory-bus.js';
import type { DriverSession } from '../../adapters/whatsapp/port.js';
import { silentLogger } from '../../logger.js';
import { pendingSends } from '../../projections/messages/pending-sends.js';
import { busMessageOf } from '../bus-message-of.js';
import { createCommandHandler } from '../command-handler.js';
import { createOutboxSender } from '../outbox-sender.js';
import { createSendPacing } from '../send-pacing.js';
import { eventually } from '../../../test-support/eventually.js';
import { exportContact } from './export-contact.js';

const joao = '5511988887777';
const joaoJid = `${joao}@c.us`;
/** What realistic-history.ts has João and the gateway say in João's chat. */
const joaoTexts = [
  'Oi 0',
  'Oi 3',
  'Olá! Como posso ajudar?',
  'Eu levo o bolo',
  'Pelo lid',
  'No grupo pelo lid',
];
/** João's linked-device id, which the session learns is his (ContactLidMapped). */
const joaoLid = '207745630986429@lid';
/** The group of realistic-history.ts, where Maria writes; João writes there too (beforeAll). */
const equipe = '120363025246125486@g.us';

describe.each(databaseKinds)('erasing a contact on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let privacy: Privacy;
  let store: EventStore;
  let acmeSession: string;
  /** Sends to João requested before the erasure and still waiting in the outbox when it comes. */
  const pending: { messageId: string; clear: RecordedEvent }[] = [];
  const db = () => readModelDb(testDb.database.db);
  const rawEvents = async () =>
    (await sql<{ data: string }>`select data::text as data from events`.execute(testDb.database.db)).rows
      .map((row) => row.data)
      .join('\n');
  const rowsOfChat = async (companyId: string) =>
    JSON.stringify(
      (
        await sql`select * from "Messages" where "Company_Id" = ${companyId} and "Chat_Id" = ${joaoJid}`.execute(
          db(),
        )
      ).rows,
    );

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'erasure');
    privacy = await openPrivacy(testDb.database, undefined);
    const project = inlineProjection(allProjectors);
    const fanOut = webhookFanOut(webhookFrameOf, { retryHours: 1 });
    // A webhook of acme that wants messages: their payloads are kept, in clear, for its deliveries.
    await sql`insert into webhooks (id, company_id, url, events, secret_ciphertext)
      values (${randomUUID()}, 'acme', 'https://example.com/hook', ${['message']}::text[], 'x')`.execute(
      testDb.database.db,
    );
    store = privacy.sealing.wrap(
      createPostgresEventStore(testDb.database, {
        hooks: privacy.sealing.hooks({
          withinTransaction: async (trx, events) => {
            await project(readModelDb(trx), events);
            await fanOut(readModelDb(trx), events);
          },
        }),
      }),
    );
    acmeSession = await writeRealisticHistory(store, 'acme');
    await writeRealisticHistory(store, 'globex');
    const { chat, incoming, session } = historyWriter(store);
    // João, known by his linked-device id alone: a chat addressed by it, and a message of his in the group.
    await chat(
      'acme',
      acmeSession,
      joaoLid,
      {
        type: 'RecordIncomingMessage',
        message: incoming(joaoLid, 'in-lid-0', 'Pelo lid', { senderPhone: null }),
      },
      'in-lid-0',
    );
    await chat(
      'acme',
      acmeSession,
      equipe,
      {
        type: 'RecordIncomingMessage',
        message: incoming(equipe, 'in-group-lid', 'No grupo pelo lid', { from: joaoLid, senderPhone: null }),
      },
      'in-group-lid',
    );
    await session('acme', acmeSession, { type: 'RecordLidMapping', lid: joaoLid, phoneJid: joaoJid });
    await chat(
      'acme',
      acmeSession,
      equipe,
      {
        type: 'RecordIncomingMessage',
        message: incoming(equipe, 'in-group-joao', 'Eu levo o bolo', {
          from: joaoJid,
          senderPhone: joao,
          chatName: 'Equipe',
        }),
      },
      'in-group-joao',
    );
    for (const body of ['Seu pedido saiu', 'Chega amanhã']) {
      const messageId = randomUUID();
      const { events } = await chat('acme', acmeSession, joaoJid, {
        type: 'RequestMessageSend',
        messageId,
        from: '5511900000000@c.us',
        body,
        media: null,
        idempotencyKey: null,
        requestHash: null,
        sessionConnected: true,
      });
      const [requested] = await store.readStream(`chat-${acmeSession}_${joaoJid}`, {
        direction: 'backwards',
        maxCount: 1,
      });
      expect(requested!.id).toBe(events[0]!.id);
      pending.push({ messageId, clear: requested! });
    }
  });

  afterAll(async () => {
    await privacy?.close();
    await store?.close();
    await testDb?.dispose();
  });

  it('stores personal fields sealed, while the read models get them in clear', async () => {
    const raw = await rawEvents();
    for (const text of [...joaoTexts, 'João Silva', 'Bom dia', 'comprovante'])
      expect(raw).not.toContain(text);
    expect(raw).toContain('"$sealed"');
    expect(await rowsOfChat('acme')).toContain('Oi 3');
    expect(await webhookPayloads()).toContain('Oi 3');
    const [received] = await store.readStream(`chat-${acmeSession}_${joaoJid}`, { maxCount: 1 });
    expect(received!.data).toMatchObject({ body: 'Oi 0', senderName: 'João Silva' });
  });

  it("removes the contact's text from every read model of its company, and nothing of another company's", async () => {
    const erase = eraseContact({
      db: testDb.database.db,
      store,
      blobs: createPostgresBlobStore(testDb.database.db),
      ...privacy,
    });
    const erased = await erase({
      companyId: 'acme',
      phone: joao,
      actor: { type: 'user', id: 'admin-1' },
      correlationId: randomUUID(),
    });
    // His one-to-one chat, and the chat addressed by his linked-device id.
    expect(erased).toEqual({ contactHash: expect.stringMatching(/^[0-9a-f]{64}$/), chats: 2 });

    const acme = JSON.stringify(await readModelsOf('acme'));
    for (const text of joaoTexts) expect(acme).not.toContain(text);
    expect(acme).toContain('Bom dia');
    const payloads = await webhookPayloads();
    for (const text of joaoTexts) expect(payloads).not.toContain(text);
    expect(payloads).toContain('Bom dia');
    const messages = await sql<{
      Body: string | null;
      Erased: boolean;
    }>`select "Body", "Erased" from "Messages"
      where "Company_Id" = 'acme' and "Chat_Id" = ${joaoJid}`.execute(db());
    expect(messages.rows.length).toBeGreaterThan(0);
    expect(messages.rows.every((row) => row.Body === null && row.Erased)).toBe(true);
    expect(await rowsOfChat('globex')).toContain('Oi 3');
    // What João wrote in the group is erased; what Maria wrote there, and the group's name, stay.
    const group = await sql<{ Sender: string; Body: string | null; Erased: boolean }>`
      select "Sender", "Body", "Erased" from "Messages"
      where "Company_Id" = 'acme' and "Chat_Id" = ${equipe} order by "Sender"`.execute(db());
    expect(group.rows).toHaveLength(3);
    expect(group.rows).toEqual(
      expect.arrayContaining([
        { Sender: joaoJid, Body: null, Erased: true },
        { Sender: joaoLid, Body: null, Erased: true },
        { Sender: '5511977776666@c.us', Body: 'Reunião às 10h', Erased: false },
      ]),
    );
    const groupChat = await sql<{ Chat_Name: string | null }>`select "Chat_Name" from "Chats"
      where "Company_Id" = 'acme' and "Chat_Id" = ${equipe}`.execute(db());
    expect(groupChat.rows).toEqual([{ Chat_Name: 'Equipe' }]);
    const names = await sql<{
      Company_Id: string;
      Client_Name: string | null;
    }>`select "Company_Id", "Client_Name"
      from "Clients" where "Wa_Number" = ${joao} order by 1`.execute(db());
    expect(names.rows).toEqual([
      { Company_Id: 'acme', Client_Name: null },
      { Company_Id: 'globex', Client_Name: 'João Silva' },
    ]);
    const client = await sql<{ Client_Name: string | null }>`select "Client_Name" from "Clients"
      where "Company_Id" = 'globex' and "Wa_Number" = ${joao}`.execute(db());
    expect(client.rows[0]!.Client_Name).toBe('João Silva');
  });

  it('fails for good a send still pending to the erased contact, and never sends it', async () => {
    const sent: string[] = [];
    const driver = {
      sendText: (_to: string, text: string) => {
        sent.push(text);
        return Promise.resolve({ waMessageId: `wa-${sent.length}`, ack: 1, timestamp: 1 });
      },
    } as unknown as DriverSession;
    const bus = createMemoryBus();
    const outbox = createOutboxSender({
      bus,
      subjectRoot: 'wa',
      store,
      handle: createCommandHandler(store),
      runsElsewhere: () => Promise.resolve(false),
      driverSession: () => driver,
      pacing: createSendPacing({ ratePerSecond: 0, burst: 1, minIntervalPerChatMs: 0 }),
      media: { read: () => Promise.reject(new Error('no media')) } as never,
      logger: silentLogger,
    });
    try {
      // One taken up after a restart (read back from the store, erased), one from a copy that still carries
      // its text in clear (as the bus fans out what the appending process was given).
      const [afterRestart, inClear] = pending;
      const waiting = (await pendingSends(db())).filter((send) => send.messageId === afterRestart!.messageId);
      expect(waiting).toHaveLength(1);
      await outbox.recover(waiting);
      outbox.takeUpCommitted([inClear!.clear]);
      expect(busMessageOf(inClear!.clear).data.body).toBe('Chega amanhã');
      await eventually(async () => {
        const failures = (await store.readStream(`chat-${acmeSession}_${joaoJid}`)).filter(
          (event) => event.type === 'MessageSendFailed',
        );
        return failures.length === 2;
      });
      const events = await store.readStream(`chat-${acmeSession}_${joaoJid}`);
      for (const { messageId } of pending) {
        const settled = events.filter((event) => event.data.messageId === messageId);
        expect(settled.map((event) => event.type)).toEqual(['MessageSendRequested', 'MessageSendFailed']);
        expect(settled[1]!.data).toMatchObject({ reason: 'the contact was erased', final: true });
      }
      expect(sent).toEqual([]);
      expect((await pendingSends(db())).map((send) => send.messageId)).not.toContain(afterRestart!.messageId);
    } finally {
      await outbox.stop();
      await bus.close();
    }
  });

  it('records the erasure with who and when, naming the contact only by a hash', async () => {
    const [recorded] = await store.readStream('privacy-acme');
    expect(recorded).toMatchObject({
      type: 'ContactErased',
      metadata: { actor: { type: 'user', id: 'admin-1' } },
    });
    expect(JSON.stringify([recorded!.data, recorded!.metadata])).not.toContain(joao);
  });

  it('reads the erased events back with their personal fields erased', async () => {
    const [received] = await store.readStream(`chat-${acmeSession}_${joaoJid}`, { maxCount: 1 });
    expect(received!.data).toMatchObject({
      body: '',
      senderName: null,
      erased: true,
      waMessageId: 'in-joao-0',
    });
  });

  it('keeps the contact erased in a rebuild, which gives exactly the rows the live projections hold', async () => {
    // The contact writes again after the erasure: that message is new data, under a new key, and stays.
    const { chat, incoming } = historyWriter(store);
    await chat(
      'acme',
      acmeSession,
      joaoJid,
      { type: 'RecordIncomingMessage', message: incoming(joaoJid, 'in-joao-after', 'Voltei') },
      'in-joao-after',
    );
    await chat(
      'acme',
      acmeSession,
      equipe,
      {
        type: 'RecordIncomingMessage',
        message: incoming(equipe, 'in-group-joao-after', 'Voltei ao grupo', {
          from: joaoJid,
          senderPhone: joao,
        }),
      },
      'in-group-joao-after',
    );
    const live = await dumpReadModels(db());
    await rebuildProjections({ db: db(), store, projectors: allProjectors });
    const rebuilt = await dumpReadModels(db());
    expect(rebuilt).toEqual(live);
    const acme = JSON.stringify(await readModelsOf('acme'));
    for (const text of joaoTexts) expect(acme).not.toContain(text);
    expect(acme).toContain('Voltei');
    expect(acme).toContain('Voltei ao grupo');
    expect(acme).toContain('Reunião às 10h');
  });

  it("exports the contact's rows by its linked-device id too", async () => {
    const exported = await exportContact(db(), 'acme', joao);
    expect(exported.chats.map((row) => row.Chat_Id)).toEqual(expect.arrayContaining([joaoJid, joaoLid]));
    const ids = exported.messages.map((row) => row.Wa_Message_Id);
    expect(ids).toEqual(expect.arrayContaining(['in-lid-0', 'in-group-lid', 'in-group-joao', 'in-joao-0']));
  });

  it("exports the contact's rows of the caller's company only", async () => {
    const exported = await exportContact(db(), 'globex', joao);
    expect(exported.clients).toHaveLength(1);
    expect(exported.chats).toHaveLength(1);
    expect(JSON.stringify(exported.messages)).toContain('Oi 3');
    expect(exported.messages.every((row) => row.Company_Id === 'globex')).toBe(true);
  });

  it('leaves a hash chain that still verifies', async () => {
    await writeAnchor(testDb.database.db, await loadAnchorSigningKey(testDb.database.db, undefined));
    const report = await verifyPostgresStore(testDb.database.db);
    expect(report.firstBreak).toBeNull();
    expect(report.events).toBeGreaterThan(0);
  });

  async function webhookPayloads(): Promise<string> {
    const { rows } = await sql<{ data: string }>`select data::text as data from webhook_events`.execute(db());
    return rows.map((row) => row.data).join('\n');
  }

  async function readModelsOf(companyId: string) {
    const dump = await dumpReadModels(db());
    return Object.fromEntries(
      Object.entries(dump).map(([table, rows]) => [
        table,
        rows.filter((row) => (row as { Company_Id?: string }).Company_Id === companyId),
      ]),
    );
  }
});
