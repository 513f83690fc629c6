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
  obras,
  lateLidTexts,
  openErasureTestBed,
  type ErasureTestBed,
} from '../../../test-support/erasure-test-bed.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { databaseKinds } from '../../../test-support/test-databases.js';
import { writeAnchor } from '../../adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../../adapters/audit/signing-key-store.js';
import { verifyPostgresStore } from '../../adapters/audit/verify-postgres-store.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import { contactHash } from '../../domain/privacy/contact-hash.js';
import { silentLogger } from '../../logger.js';
import { rebuildProjections } from '../../projections/rebuild.js';
import { allProjectors } from '../../projections/all-projectors.js';
import { lidsOfContact } from './contact-lids.js';
import { lateLidErasure } from './late-lid-erasure.js';

describe.each(databaseKinds)('erasing a contact on %s', (kind) => {
  let bed: ErasureTestBed;
  const db = () => bed.db();
  const store = () => bed.store;
  const contactOf = (companyId: string) => ({
    phone: joao,
    contactHash: contactHash(bed.privacy.hashSalt, companyId, joao),
  });

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
    // Nor which number his linked-device id stands for: that is sealed, beside his keyed hash.
    const mappings = await sql<{ data: { contactHash?: string } }>`select data from events
      where event_type = 'ContactLidMapped'`.execute(bed.testDb.database.db);
    expect(mappings.rows).toHaveLength(1);
    expect(JSON.stringify(mappings.rows)).not.toContain(joao);
    expect(mappings.rows[0]!.data.contactHash).toBe(contactOf('acme').contactHash);
    // Nor who is in a group, who joined, left or was promoted, nor by whom: each member under its own key.
    const membership = await sql<{ data: string }>`select data::text as data from events
      where event_type in ('GroupSynced', 'GroupParticipantsChanged')`.execute(bed.testDb.database.db);
    expect(membership.rows.length).toBeGreaterThanOrEqual(2);
    for (const { data } of membership.rows)
      expect(data).not.toMatch(/5511988887777|5511977776666|207745630986429/);
    expect(await bed.groupUpdatePayloads()).toContainEqual([joaoJid]);
    expect(await bed.groupMembers()).toEqual([
      { jid: joaoJid, isAdmin: true },
      { jid: joaoLid, isAdmin: false },
      { jid: '5511977776666@c.us', isAdmin: true },
    ]);
    expect(await bed.rowsOfChat('acme')).toContain('Oi 3');
    expect(await bed.webhookPayloads()).toContain('Oi 3');
    const [received] = await store().readStream(`chat-${bed.acmeSession}_${joaoJid}`, { maxCount: 1 });
    expect(received!.data).toMatchObject({ body: 'Oi 0', senderName: 'João Silva' });
  });

  it("removes the contact's text from every read model of its company, and nothing of another company's", async () => {
    const erased = await bed.eraseJoao();
    // His one-to-one chat, the chat addressed by his linked-device id, and the second session where he only
    // reacted in the group (its ChatErased there scrubs that).
    expect(erased).toEqual({ contactHash: expect.stringMatching(/^[0-9a-f]{64}$/), chats: 3 });

    const acme = JSON.stringify(await bed.readModelsOf('acme'));
    for (const text of joaoTexts) expect(acme).not.toContain(text);
    expect(acme).toContain('Bom dia');
    const payloads = await bed.webhookPayloads();
    for (const text of [...joaoTexts, joaoReaction]) expect(payloads).not.toContain(text);
    for (const text of ['Bom dia', '👍']) expect(payloads).toContain(text);
    const messages = await bed.messagesOfChat<{ Body: string | null; Erased: boolean }>(
      bed.acmeSession,
      joaoJid,
      ['Body', 'Erased'],
    );
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((row) => row.Body === null && row.Erased)).toBe(true);
    expect(await bed.rowsOfChat('globex')).toContain('Oi 3');
    // The changes of his chat still waiting for their message read as erased, whoever made them.
    const early = await bed.earlyChanges();
    for (const text of [joaoEarlyEdit, '👀']) expect(early).not.toContain(text);
    // His call reads as an erased contact's in the session's log; Maria's still names her.
    expect(await bed.logLinesOf('IncomingCallReceived')).toEqual([
      'Video call from 5511977776666@c.us (not answered: WhatsApp Web cannot)',
      'Video call from an erased contact (not answered: WhatsApp Web cannot)',
    ]);
    // The line that learned his linked-device id keeps the id, not his number.
    expect(await bed.logLinesOf('ContactLidMapped')).toEqual([`${joaoLid} is an erased contact`]);
    expect(JSON.stringify(await bed.logLinesOf('ContactLidMapped'))).not.toContain(joao);
    // He is no longer a member of the group, by either id, nor named by the log lines of its changes; Maria is.
    expect(await bed.groupMembers()).toEqual([{ jid: '5511977776666@c.us', isAdmin: true }]);
    expect(await bed.logLinesOf('GroupParticipantsChanged')).toContain(
      `Group ${equipe}: promote an erased contact (by 5511977776666@c.us)`,
    );
    expect(JSON.stringify(await bed.logLinesOf('GroupParticipantsChanged'))).not.toContain(joao);
    expect(JSON.stringify(await bed.groupUpdatePayloads())).not.toContain(joao);
    expect(await bed.groupUpdatePayloads()).toContainEqual([]);
    // The session's own group changes name him no more either.
    const own = [
      ...(await bed.logLinesOf('GroupCreated')),
      ...(await bed.logLinesOf('GroupParticipantsUpdated')),
    ];
    expect(own).toContain(`Group ${obras} created: Obras (an erased contact, 5511977776666@c.us)`);
    expect(own).toContain(`Group ${obras}: remove an erased contact (by the session)`);
    expect(JSON.stringify(own)).not.toContain(joao);
    // An erasure repeated (as after a crash halfway) still finds his linked-device id, by his hash.
    const { contactHash: hash } = contactOf('acme');
    expect(await lidsOfContact(db(), 'acme', { phoneJid: joaoJid, contactHash: hash })).toEqual([joaoLid]);
    // His Clients row, which is his number, goes in acme only.
    const names = await sql<{ Company_Id: string; Client_Name: string | null }>`
      select "Company_Id", "Client_Name" from "Clients" where "Wa_Number" = ${joao} order by 1`.execute(db());
    expect(names.rows).toEqual([{ Company_Id: 'globex', Client_Name: 'João Silva' }]);
    // So do the row his linked-device id had before it was learned to be his, and that it is his.
    const byLid = await sql`select 1 from "Clients" where "Wa_Number" = ${joaoLid}`.execute(db());
    expect(byLid.rows).toEqual([]);
    const lids = await sql`select * from "Client_Lids" where "Company_Id" = 'acme'`.execute(db());
    expect(lids.rows).toEqual([]);
  });

  it("leaves his messages in the group without his number, and his votes and reactions out of others' messages", async () => {
    type GroupRow = { Sender: string; Body: string | null; Erased: boolean; Wa_Message_Id: string };
    const group = await bed.messagesOfChat<GroupRow>(bed.acmeSession, equipe, [
      'Sender',
      'Body',
      'Erased',
      'Wa_Message_Id',
    ]);
    expect(group).toHaveLength(5);
    // What he wrote (by phone and by linked-device id) no longer says who sent it; what Maria wrote stays.
    expect(group.filter((row) => row.Sender === '').map(({ Body, Erased }) => ({ Body, Erased }))).toEqual([
      { Body: null, Erased: true },
      { Body: null, Erased: true },
    ]);
    expect(group).toContainEqual(
      expect.objectContaining({ Sender: '5511977776666@c.us', Body: 'Reunião às 10h' }),
    );
    // No row of the group in either session holds his number.
    const rows = JSON.stringify(
      (
        await sql`select * from "Messages" where "Company_Id" = 'acme' and "Chat_Id" = ${equipe}`.execute(
          db(),
        )
      ).rows,
    );
    for (const id of [joao, joaoLid]) expect(rows).not.toContain(id);
    // His vote leaves Maria's poll and his reaction goes; Maria's reaction stays. So does his reaction in the
    // session where he only reacted.
    const polls = await sql<{
      Wa_Message_Id: string;
      Poll: unknown;
      Poll_Votes: unknown;
      Reactions: unknown;
    }>`
      select "Wa_Message_Id", "Poll", "Poll_Votes", "Reactions" from "Messages" where "Company_Id" = 'acme'
        and "Wa_Message_Id" in ('in-group-poll', 'in-group-meeting') order by 1`.execute(db());
    expect(polls.rows).toEqual([
      { Wa_Message_Id: 'in-group-meeting', Poll: null, Poll_Votes: null, Reactions: {} },
      {
        Wa_Message_Id: 'in-group-poll',
        Poll: expect.objectContaining({ name: 'Quando?' }),
        Poll_Votes: {},
        Reactions: { '5511977776666@c.us': expect.objectContaining({ emoji: '👍' }) },
      },
    ]);
    // No kept payload of his edit or vote is left; the group keeps its name.
    const changes = await sql<{ data: unknown }>`select data from webhook_events
      where company_id = 'acme' and type in ('message_edit', 'poll_vote')`.execute(db());
    expect(changes.rows.length).toBeGreaterThanOrEqual(2);
    expect(changes.rows.map((row) => row.data)).not.toContainEqual(
      expect.objectContaining({ options: ['Sexta à tardinha'] }),
    );
    const groupChat = await sql<{ Chat_Name: string | null }>`select "Chat_Name" from "Chats"
      where "Session_Id" = ${bed.acmeSession} and "Chat_Id" = ${equipe}`.execute(db());
    expect(groupChat.rows).toEqual([{ Chat_Name: 'Equipe' }]);
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
    // The line that learned the id names no number either, once the id's chat is erased.
    expect(await bed.logLinesOf('ContactLidMapped')).toEqual([
      `${joaoLid} is an erased contact`,
      `${lateLid} is an erased contact`,
    ]);
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

  it('leaves a hash chain that still verifies', async () => {
    await writeAnchor(bed.testDb.database.db, await loadAnchorSigningKey(bed.testDb.database.db, undefined));
    const report = await verifyPostgresStore(bed.testDb.database.db);
    expect(report.firstBreak).toBeNull();
    expect(report.events).toBeGreaterThan(0);
  });
});
