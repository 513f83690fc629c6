import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from './all-projectors.js';
import { applyBatch } from './apply-batch.js';
import { createProjectionRunner } from './projection-runner.js';

describe.each(databaseKinds)('read models on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;
  let sessionId: string;
  const rows = async (table: string, where = sql`true`) =>
    (
      await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where ${where} order by "Id"`.execute(testDb.database.db)
    ).rows;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'projectors');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
    sessionId = await writeRealisticHistory(store, 'company-a');
    await writeRealisticHistory(store, 'company-b');
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
    });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('keeps each session connected with its own WhatsApp id and no QR code', async () => {
    const [session] = await rows('Sessions', sql`"Id" = ${sessionId}`);
    expect(session).toMatchObject({
      Company_Id: 'company-a',
      Status: 3,
      Wa_Id: '5511900000000@c.us',
      Qr_Code: null,
      Desired_State: 'running',
    });
  });

  it('creates a chat on its first message, linked to its client, with unread counts', async () => {
    const chats = await rows('Chats', sql`"Session_Id" = ${sessionId}`);
    const byJid = Object.fromEntries(chats.map((c) => [String(c.Chat_Id), c])) as Record<
      string,
      Record<string, unknown>
    >;
    expect(byJid['5511988887777@c.us']).toMatchObject({
      Chat_Type: 'individual',
      Unread_Count: 0,
      Chat_Name: 'João Silva',
    });
    expect(byJid['5511977776666@c.us']).toMatchObject({
      Unread_Count: 2,
      Chat_Name: 'Maria',
      Last_Message: 'Recebido!',
    });
    expect(byJid['120363025246125486@g.us']).toMatchObject({
      Chat_Type: 'group',
      Chat_Name: 'Equipe',
      Client_Id: null,
      Unread_Count: 1,
    });
    const [joao] = await rows('Clients', sql`"Company_Id" = 'company-a' and "Wa_Number" = '5511988887777'`);
    expect(byJid['5511988887777@c.us']!.Client_Id).toBe(joao!.Id);
  });

  it('turns every new contact of a company into one client, group authors included', async () => {
    const clients = await rows('Clients', sql`"Company_Id" = 'company-a'`);
    expect(clients.map((c) => [c.Wa_Number, c.Client_Name]).sort()).toEqual([
      ['5511966665555', 'João Silva'],
      ['5511977776666', 'Maria'],
      ['5511988887777', 'João Silva'],
    ]);
  });

  it('keeps the highest delivery status whatever order acks arrived in, and one row for an echoed send', async () => {
    const sent = await rows('Messages', sql`"Session_Id" = ${sessionId} and "Wa_Message_Id" = 'out-1'`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      Direction: 'OUT',
      Status: 4,
      From_Me: true,
      Body: 'Olá! Como posso ajudar?',
    });
  });

  it('records sends that failed for good with the reason, and clears a reason once a retry succeeds', async () => {
    const [failed] = await rows(
      'Messages',
      sql`"Session_Id" = ${sessionId} and "Chat_Id" = '5511955554444@c.us'`,
    );
    expect(failed).toMatchObject({
      Status: 0,
      Failure_Reason: 'number is not on WhatsApp',
      Wa_Message_Id: null,
    });
    const [retried] = await rows('Messages', sql`"Session_Id" = ${sessionId} and "Wa_Message_Id" = 'out-2'`);
    expect(retried).toMatchObject({ Status: 2, Failure_Reason: null });
  });

  it('saves every received message once, with media and revocations', async () => {
    const incoming = await rows('Messages', sql`"Session_Id" = ${sessionId} and "Direction" = 'IN'`);
    expect(incoming).toHaveLength(4 + 2 + 1 + 3);
    expect(incoming.find((m) => m.Wa_Message_Id === 'in-joao-1')).toMatchObject({ Is_Revoked: true });
    expect(incoming.find((m) => m.Wa_Message_Id === 'in-maria-1')).toMatchObject({
      Message_Type: 'image',
      Media_Mimetype: 'image/jpeg',
      Media_Caption: 'comprovante',
    });
  });

  it('logs every session event and every send failure, without QR codes or tokens', async () => {
    const logs = await rows('Session_Logs', sql`"Session_Id" = ${sessionId}`);
    expect(logs.map((l) => l.Event_Type).sort()).toEqual(
      [
        'MessageSendFailed',
        'MessageSendFailed',
        'MessageSendFailed',
        'QrCodeIssued',
        'QrCodeIssued',
        'SessionConnected',
        'SessionConnected',
        'SessionConnecting',
        'SessionDisconnected',
        'SessionRegistered',
        'SessionStartRequested',
        ...['GroupCreated', 'GroupCreated', 'GroupLeft', 'GroupLeft'],
        ...Array<string>(3).fill('GroupParticipantsUpdated'),
        ...Array<string>(5).fill('GroupParticipantsChanged'),
      ].sort(),
    );
    expect(logs.filter((l) => l.Level === 'error').map((l) => l.Message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('number is not on WhatsApp'),
        expect.stringContaining('too late'),
      ]),
    );
    expect(logs.filter((l) => l.Level === 'error')).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toMatch(/2@first|sha256:x/);
    expect(logs.find((l) => l.Event_Type === 'SessionStartRequested')!.Metadata).toMatchObject({
      actor: { type: 'user', id: 'admin-of-company-a' },
    });
  });

  it('applies reactions, edits, votes and deletions that arrived before their message once it arrives', async () => {
    const byId = Object.fromEntries(
      (await rows('Messages', sql`"Session_Id" = ${sessionId} and "Chat_Id" = '5511966665555@c.us'`)).map(
        (m) => [String(m.Wa_Message_Id ?? m.Id), m],
      ),
    ) as Record<string, Record<string, unknown>>;
    // The early reaction was taken back later; the early edit stays.
    expect(byId['in-ana-0']).toMatchObject({ Body: 'Oi, tudo bem?', Reactions: {} });
    expect(byId['in-ana-0']?.Edited_At).not.toBeNull();
    expect(byId['in-ana-poll']).toMatchObject({
      Poll_Votes: { '5511944443333@c.us': ['Sim'], '5511966665555@c.us': ['Não'] },
      Reactions: { '5511900000000@c.us': { emoji: '👍' } },
    });
    expect(byId['in-ana-2']).toMatchObject({ Is_Revoked: true, Body: 'apagada' });
    expect(await rows('Early_Message_Changes', sql`"Session_Id" = ${sessionId}`)).toEqual([]);
  });

  it('keeps replies, polls and locations sent, and the outcome of changes asked of the outbox', async () => {
    const sent = await rows(
      'Messages',
      sql`"Session_Id" = ${sessionId} and "Chat_Id" = '5511966665555@c.us' and "From_Me"`,
    );
    const byType = Object.fromEntries(
      sent.map((m) => [String(m.Message_Type === 'chat' ? m.Wa_Message_Id : m.Message_Type), m]),
    ) as Record<string, Record<string, unknown>>;
    expect(byType['out-ana-reply']).toMatchObject({
      Quoted_Id: 'in-ana-0',
      Mentions: ['5511944443333@c.us'],
      Body: 'Sim, @Bia!',
    });
    expect(byType.poll_creation).toMatchObject({
      Body: 'Horário?',
      Poll: { options: ['9h', '10h'], selectableCount: 2 },
    });
    expect(byType.location).toMatchObject({ Location: { latitude: -23.5, longitude: -46.6, name: 'Loja' } });
    const actions = await rows('Message_Actions', sql`"Session_Id" = ${sessionId}`);
    expect(actions.map((a) => [a.Action, a.Target_Wa_Id, a.Status]).sort()).toEqual([
      ['edit', 'out-ana-reply', 2],
      ['react', 'in-ana-poll', 2],
      ['revoke', 'out-ana-poll', 0],
    ]);
  });

  it('keeps each group with its subject and members, from WhatsApp’s reports and the session’s commands', async () => {
    const groups = Object.fromEntries(
      (await rows('Groups', sql`"Session_Id" = ${sessionId}`)).map((g) => [String(g.Group_Id), g]),
    ) as Record<string, Record<string, unknown>>;
    // Synced at a connect from WhatsApp's list, which names the session too.
    expect(groups['120363025246125486@g.us']).toMatchObject({
      Subject: 'Equipe',
      Description: 'Metas do mês',
      Is_Member: true,
      Participants: [
        { jid: '5511900000000@c.us', isAdmin: false },
        { jid: '5511977776666@c.us', isAdmin: true },
      ],
    });
    // Known only from the sync, then WhatsApp reported the session removed.
    expect(groups['120363000000000999@g.us']).toMatchObject({
      Subject: 'Família',
      Is_Member: false,
      Participants: [{ jid: '5511944443333@c.us', isAdmin: true }],
    });
    expect(groups['120363000000000777@g.us']).toMatchObject({
      Subject: 'Fornecedores',
      Is_Member: true,
      Participants: [
        { jid: '5511900000000@c.us', isAdmin: true },
        { jid: '5511966665555@c.us', isAdmin: false },
        { jid: '5511944443333@c.us', isAdmin: false },
      ],
    });
    expect(groups['120363000000000888@g.us']).toMatchObject({ Subject: 'Temporário', Is_Member: false });
  });

  it('leaves every row as it was when all events are applied a second time', async () => {
    const before = await dumpReadModels(testDb.database.db);
    const events = await store.readAll({ maxCount: 100_000 });
    for (const projector of allProjectors)
      await applyBatch(readModelDb(testDb.database.db), 'public', projector, events);
    expect(await dumpReadModels(testDb.database.db)).toEqual(before);
  });
});
