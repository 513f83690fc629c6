import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../../test-support/dump-read-models.js';
import {
  equipe,
  joao,
  joaoJid,
  joaoContactName,
  joaoEarlyEdit,
  joaoLateMessage,
  joaoLid,
  joaoReaction,
  joaoTexts,
  lateLid,
  lateLidTexts,
  openErasureTestBed,
  type ErasureTestBed,
} from '../../../test-support/erasure-test-bed.js';
import { eventually } from '../../../test-support/eventually.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { writeAnchor } from '../../adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../../adapters/audit/signing-key-store.js';
import { verifyPostgresStore } from '../../adapters/audit/verify-postgres-store.js';
import { createMemoryBus } from '../../adapters/bus/memory-bus.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import type { DriverSession } from '../../adapters/whatsapp/port.js';
import { silentLogger } from '../../logger.js';
import { pendingSends } from '../../projections/messages/pending-sends.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { allProjectors } from '../../projections/all-projectors.js';
import { busMessageOf } from '../bus-message-of.js';
import { createCommandHandler } from '../command-handler.js';
import { createOutboxSender } from '../outbox-sender.js';
import { createSendPacing } from '../send-pacing.js';
import { eraseContact } from './erase-contact.js';
import { lateLidErasure } from './late-lid-erasure.js';
import { exportContact } from './export-contact.js';

describe.each(databaseKinds)('erasing a contact on %s', (kind) => {
  let bed: ErasureTestBed;
  const db = () => bed.db();
  const store = () => bed.store;

  beforeAll(async () => {
    bed = await openErasureTestBed(kind);
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it('stores personal fields sealed, while the read models get them in clear', async () => {
    const raw = await bed.rawEvents();
    for (const text of [...joaoTexts, 'João Silva', 'Bom dia', 'comprovante', joaoContactName, joaoReaction])
      expect(raw).not.toContain(text);
    expect(raw).toContain('"$sealed"');
    // In the group's events, nothing says he wrote, voted or reacted there: not his number, nor his other id.
    const group = await bed.rawEventsOf(`chat-${bed.acmeSession}_${equipe}`);
    for (const id of [joao, joaoLid]) expect(group).not.toContain(id);
    expect(group).toContain('"$sealed"');
    // Nor do the session's events say who called.
    const calls = await sql<{ data: string }>`select data::text as data from events
      where event_type = 'IncomingCallReceived'`.execute(bed.testDb.database.db);
    expect(calls.rows).toHaveLength(2);
    for (const { data } of calls.rows) expect(data).not.toMatch(/5511988887777|5511977776666/);
    expect(await bed.rowsOfChat('acme')).toContain('Oi 3');
    expect(await bed.webhookPayloads()).toContain('Oi 3');
    const [received] = await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`, { maxCount: 1 });
    expect(received!.data).toMatchObject({ body: 'Oi 0', senderName: 'João Silva' });
  });

  it("removes the contact's text from every read model of its company, and nothing of another company's", async () => {
    const erase = eraseContact({
      db: bed.testDb.database.db,
      store: store(),
      blobs: createPostgresBlobStore(bed.testDb.database.db),
      ...bed.privacy,
    });
    const erased = await erase({
      companyId: 'acme',
      phone: joao,
      actor: { type: 'user', id: 'admin-1' },
      correlationId: randomUUID(),
    });
    // His one-to-one chat, the chat addressed by his linked-device id, and the second session where he only
    // reacted in the group (its ChatErased there scrubs that).
    expect(erased).toEqual({ contactHash: expect.stringMatching(/^[0-9a-f]{64}$/), chats: 3 });

    const acme = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of joaoTexts) expect(acme).not.toContain(text);
    expect(acme).toContain('Bom dia');
    const payloads = await bed.webhookPayloads();
    for (const text of joaoTexts) expect(payloads).not.toContain(text);
    expect(payloads).toContain('Bom dia');
    const messages = await sql<{
      Body: string | null;
      Erased: boolean;
    }>`select "Body", "Erased" from "Messages"
      where "Company_Id" = 'acme' and "Chat_Id" = ${joaoJid}`.execute(db());
    expect(messages.rows.length).toBeGreaterThan(0);
    expect(messages.rows.every((row) => row.Body === null && row.Erased)).toBe(true);
    expect(await bed.rowsOfChat('globex')).toContain('Oi 3');
    // What João wrote in the group is erased; what Maria wrote there, and the group's name, stay.
    const group = await sql<{ Sender: string; Body: string | null; Erased: boolean }>`
      select "Sender", "Body", "Erased" from "Messages"
      where "Session_Id" = ${bed.acmeSession} and "Chat_Id" = ${equipe} order by "Sender"`.execute(db());
    expect(group.rows).toHaveLength(5);
    // His number goes with what he wrote (by phone and by linked-device id): the rows no longer say who sent them.
    expect(group.rows.filter((row) => row.Sender === '')).toEqual([
      { Sender: '', Body: null, Erased: true },
      { Sender: '', Body: null, Erased: true },
    ]);
    expect(group.rows).toContainEqual({
      Sender: '5511977776666@c.us',
      Body: 'Reunião às 10h',
      Erased: false,
    });
    // His vote leaves Maria's poll, which stays; no kept payload of his edit or vote is left.
    const poll = await sql<{ Poll: unknown; Poll_Votes: unknown }>`select "Poll", "Poll_Votes" from "Messages"
      where "Company_Id" = 'acme' and "Wa_Message_Id" = 'in-group-poll'`.execute(db());
    expect(poll.rows).toEqual([{ Poll: expect.objectContaining({ name: 'Quando?' }), Poll_Votes: {} }]);
    // His reaction to it goes; Maria's stays. So does his reaction in the session where he only reacted.
    const reactions = await sql<{ Wa_Message_Id: string; Reactions: unknown }>`
      select "Wa_Message_Id", "Reactions" from "Messages" where "Company_Id" = 'acme'
        and "Wa_Message_Id" in ('in-group-poll', 'in-group-meeting') order by 1`.execute(db());
    expect(reactions.rows).toEqual([
      { Wa_Message_Id: 'in-group-meeting', Reactions: {} },
      {
        Wa_Message_Id: 'in-group-poll',
        Reactions: { '5511977776666@c.us': expect.objectContaining({ emoji: '👍' }) },
      },
    ]);
    // The changes of his chat still waiting for their message read as erased, whoever made them.
    const early = JSON.stringify((await sql`select "Data" from "Early_Message_Changes"`.execute(db())).rows);
    expect(early).not.toContain(joaoEarlyEdit);
    expect(early).not.toContain('👀');
    expect(payloads).not.toContain(joaoReaction);
    expect(payloads).toContain('👍');
    // No row of the group, no reaction and no kept payload of the group holds his number.
    const groupRows = JSON.stringify(
      (
        await sql`select * from "Messages" where "Company_Id" = 'acme' and "Chat_Id" = ${equipe}`.execute(
          db(),
        )
      ).rows,
    );
    expect(groupRows).not.toContain(joao);
    expect(groupRows).not.toContain(joaoLid);
    const changes = await sql<{ data: unknown }>`select data from webhook_events
      where company_id = 'acme' and type in ('message_edit', 'poll_vote')`.execute(db());
    expect(changes.rows.length).toBeGreaterThanOrEqual(2);
    expect(changes.rows.map((row) => row.data)).not.toContainEqual(
      expect.objectContaining({ options: ['Sexta à tardinha'] }),
    );
    const groupChat = await sql<{ Chat_Name: string | null }>`select "Chat_Name" from "Chats"
      where "Session_Id" = ${bed.acmeSession} and "Chat_Id" = ${equipe}`.execute(db());
    expect(groupChat.rows).toEqual([{ Chat_Name: 'Equipe' }]);
    const names = await sql<{
      Company_Id: string;
      Client_Name: string | null;
    }>`select "Company_Id", "Client_Name"
      from "Clients" where "Wa_Number" = ${joao} order by 1`.execute(db());
    // His call reads as an erased contact's in the session's log; Maria's still names her.
    const callLines = await sql<{ Message: string }>`select "Message" from "Session_Logs"
      where "Company_Id" = 'acme' and "Event_Type" = 'IncomingCallReceived' order by "Message"`.execute(db());
    expect(callLines.rows.map((row) => row.Message)).toEqual([
      'Video call from 5511977776666@c.us (not answered: WhatsApp Web cannot)',
      'Video call from an erased contact (not answered: WhatsApp Web cannot)',
    ]);
    // His Clients row, which is his number, goes in acme only.
    expect(names.rows).toEqual([{ Company_Id: 'globex', Client_Name: 'João Silva' }]);
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
      store: store(),
      handle: createCommandHandler(store()),
      runsElsewhere: () => Promise.resolve(false),
      driverSession: () => driver,
      pacing: createSendPacing({ ratePerSecond: 0, burst: 1, minIntervalPerChatMs: 0 }),
      media: { read: () => Promise.reject(new Error('no media')) } as never,
      logger: silentLogger,
    });
    try {
      // One taken up after a restart (read back from the store, erased), one from a copy that still carries
      // its text in clear (as the bus fans out what the appending process was given).
      const [afterRestart, inClear] = bed.pending;
      const waiting = (await pendingSends(db())).filter((send) => send.messageId === afterRestart!.messageId);
      expect(waiting).toHaveLength(1);
      await outbox.recover(waiting);
      outbox.takeUpCommitted([inClear!.clear]);
      expect(busMessageOf(inClear!.clear).data.body).toBe('Chega amanhã');
      await eventually(async () => {
        const failures = (await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`)).filter(
          (event) => event.type === 'MessageSendFailed',
        );
        return failures.length === 2;
      });
      const events = await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`);
      for (const { messageId } of bed.pending) {
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
    const [recorded] = await store().readStream('privacy-acme');
    expect(recorded).toMatchObject({
      type: 'ContactErased',
      metadata: { actor: { type: 'user', id: 'admin-1' } },
    });
    expect(JSON.stringify([recorded!.data, recorded!.metadata])).not.toContain(joao);
  });

  it('reads the erased events back with their personal fields erased', async () => {
    const [received] = await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`, { maxCount: 1 });
    expect(received!.data).toMatchObject({
      body: '',
      senderName: null,
      erased: true,
      waMessageId: 'in-joao-0',
    });
  });

  it('reads his edit and his poll vote in the group back erased, as his message', async () => {
    const group = await store().readStream(`chat-${bed.acmeSession}_${equipe}`);
    const edit = group.find((event) => event.type === 'MessageEdited');
    expect(edit!.data).toMatchObject({ waMessageId: 'in-group-joao', body: '', erased: true });
    const vote = group.find((event) => event.type === 'PollVoted');
    expect(vote!.data).toMatchObject({ from: '', selectedOptions: [], erased: true });
    const opened = JSON.stringify(group.map((event) => event.data));
    for (const text of joaoTexts) expect(opened).not.toContain(text);
    expect(opened).toContain('Reunião às 10h');
  });

  it('erases a linked-device id learned to be his only after his erasure, when the mapping comes', async () => {
    const before = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of lateLidTexts) expect(before).toContain(text);
    const lateLids = lateLidErasure({
      db: bed.testDb.database.db,
      store: store(),
      blobs: createPostgresBlobStore(bed.testDb.database.db),
      logger: silentLogger,
      ...bed.privacy,
    });
    const { session } = historyWriter(store());
    const learn = async () => {
      await session('acme', bed.acmeSession, { type: 'RecordLidMapping', lid: lateLid, phoneJid: joaoJid });
      const [mapping] = await store().readStream(`session-${bed.acmeSession}`, {
        direction: 'backwards',
        maxCount: 1,
      });
      expect(mapping!.type).toBe('ContactLidMapped');
      return lateLids.takeUpCommitted([mapping!]);
    };

    expect(await learn()).toBe(1);
    const after = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of lateLidTexts) expect(after).not.toContain(text);
    const chat = await store().readStream(`chat-${bed.acmeSession}_${lateLid}`);
    expect(chat[0]!.data).toMatchObject({ waMessageId: 'in-late-lid-0', body: '', erased: true });
    expect(chat.at(-1)!.type).toBe('ChatErased');
    const group = JSON.stringify(
      (await store().readStream(`chat-${bed.acmeSession}_${equipe}`)).map((e) => e.data),
    );
    for (const text of lateLidTexts) expect(group).not.toContain(text);
    // Reported again, the mapping erases nothing more (what he wrote since would be new data).
    expect(await learn()).toBe(0);
  });

  it('keeps the contact erased in a rebuild, which gives exactly the rows the live projections hold', async () => {
    // The contact writes again after the erasure: that message is new data, under a new key, and stays.
    const { chat, incoming } = historyWriter(store());
    await chat(
      'acme',
      bed.acmeSession,
      joaoJid,
      { type: 'RecordIncomingMessage', message: incoming(joaoJid, 'in-joao-after', 'Voltei') },
      'in-joao-after',
    );
    // The message the session reacted to and he edited before his erasure comes now: what waited reads erased.
    await chat(
      'acme',
      bed.acmeSession,
      joaoJid,
      { type: 'RecordIncomingMessage', message: incoming(joaoJid, joaoLateMessage, 'Texto original') },
      joaoLateMessage,
    );
    await chat(
      'acme',
      bed.acmeSession,
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
    await rebuildProjections({ db: db(), store: store(), projectors: allProjectors });
    const rebuilt = await dumpReadModels(db());
    expect(rebuilt).toEqual(live);
    const acme = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of [...joaoTexts, ...lateLidTexts]) expect(acme).not.toContain(text);
    expect(acme).toContain('Voltei');
    expect(acme).toContain('Voltei ao grupo');
    expect(acme).toContain('Reunião às 10h');
  });

  it("exports the contact's rows by its linked-device id too", async () => {
    const exported = await exportContact(db(), 'acme', joao);
    expect(exported.chats.map((row) => row.Chat_Id)).toEqual(expect.arrayContaining([joaoJid, joaoLid]));
    const ids = exported.messages.map((row) => row.Wa_Message_Id);
    expect(ids).toEqual(expect.arrayContaining(['in-lid-0', 'in-joao-0']));
    // What he wrote in groups before his erasure no longer names him (its sender was erased with it).
    expect(ids).not.toContain('in-group-joao');
  });

  it("exports the contact's rows of the caller's company only", async () => {
    const exported = await exportContact(db(), 'globex', joao);
    expect(exported.clients).toHaveLength(1);
    expect(exported.chats).toHaveLength(1);
    expect(JSON.stringify(exported.messages)).toContain('Oi 3');
    expect(exported.messages.every((row) => row.Company_Id === 'globex')).toBe(true);
  });

  it('leaves a hash chain that still verifies', async () => {
    await writeAnchor(bed.testDb.database.db, await loadAnchorSigningKey(bed.testDb.database.db, undefined));
    const report = await verifyPostgresStore(bed.testDb.database.db);
    expect(report.firstBreak).toBeNull();
    expect(report.events).toBeGreaterThan(0);
  });
});
