import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { EventStore } from '../../adapters/event-store/port.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { createCommandHandler } from '../../app/command-handler.js';
import type { ChatCommand } from '../../domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../../domain/chat/chat-stream.js';
import { MessageAck } from '../../domain/chat/message-ack.js';
import type { DistributiveOmit } from '../../domain/distributive-omit.js';
import { applyBatch } from '../apply-batch.js';
import { earlyChangeMaxAgeDays } from './message-changes.js';
import { messagesProjector } from './messages-projector.js';

const own = '5511900000000@c.us';
const ana = '5511966665555@c.us';
const day = 24 * 3600 * 1000;

describe('changes that arrive before their message (Early_Message_Changes)', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;
  let now = Date.parse('2026-03-01T09:00:00Z');
  const projected = new Map<string, number>();

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'early_changes');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  const db = () => readModelDb(testDb.database.db);
  const handle = () => createCommandHandler(store, { clock: () => new Date(now) });
  /** Records a command on ana's chat of the session, then projects it, as the inline projection does. */
  const on = async (
    sessionId: string,
    command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>,
    factKey?: string,
  ) => {
    now += 1000;
    await handle()(
      chatStream,
      chatStreamName(sessionId, ana),
      { ...command, sessionId, chatJid: ana },
      {
        companyId: 'acme',
        sessionId,
        actor: { type: 'whatsapp', id: sessionId },
        correlationId: randomUUID(),
        causationId: null,
        ...(factKey ? { factKey } : {}),
      },
    );
    // The stream's new events (a settled read of all events may lag behind other databases' transactions).
    const stream = chatStreamName(sessionId, ana);
    const events = (await store.readStream(stream)).slice(projected.get(stream) ?? 0);
    projected.set(stream, (projected.get(stream) ?? 0) + events.length);
    for (const event of events) await applyBatch(db(), 'public', messagesProjector, [event]);
  };
  const reaction = (waMessageId: string, emoji: string) => ({
    type: 'RecordReaction' as const,
    waMessageId,
    reactionId: `r-${waMessageId}-${emoji}`,
    from: ana,
    emoji,
    timestamp: Math.floor(now / 1000),
  });
  const echo = (waMessageId: string, body: string) => ({
    type: 'RecordIncomingMessage' as const,
    message: {
      waMessageId,
      isGroup: false,
      fromMe: true,
      from: own,
      to: ana,
      senderName: null,
      senderPhone: null,
      chatName: null,
      type: 'chat',
      body,
      media: null,
      timestamp: Math.floor(now / 1000),
    },
  });
  const send = (messageId: string, body: string) => ({
    type: 'RequestMessageSend' as const,
    messageId,
    from: own,
    body,
    media: null,
    idempotencyKey: null,
    requestHash: null,
    sessionConnected: true,
  });
  const early = async (sessionId: string) =>
    (
      await sql<{
        Wa_Message_Id: string;
      }>`select "Wa_Message_Id" from "Early_Message_Changes" where "Session_Id" = ${sessionId}`.execute(
        testDb.database.db,
      )
    ).rows.map((row) => row.Wa_Message_Id);

  it('keeps the changes of a sent message whose echo arrived first, when the echo merges into the sent row', async () => {
    const sessionId = randomUUID();
    const messageId = randomUUID();
    const waMessageId = 'true_5511966665555@c.us_3EB0ECHO';
    await on(sessionId, send(messageId, 'Olá'));
    // A reaction before anything tells the message's WhatsApp id, then the echo, then an edit of the echo.
    await on(sessionId, reaction(waMessageId, '❤️'), 'early-reaction');
    await on(sessionId, echo(waMessageId, 'Olá'), waMessageId);
    await on(
      sessionId,
      { type: 'RecordEdit', waMessageId, body: 'Olá!', editedAt: Math.floor(now / 1000) },
      'edit',
    );
    await on(sessionId, {
      type: 'RecordMessageSent',
      messageId,
      waMessageId,
      ack: MessageAck.SERVER,
      timestamp: Math.floor(now / 1000),
    });
    const rows = await db()
      .selectFrom('Messages')
      .select(['Id', 'Body', 'Edited_At', 'Reactions'])
      .where('Session_Id', '=', sessionId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Id: messageId, Body: 'Olá!', Reactions: { [ana]: { emoji: '❤️' } } });
    expect(rows[0]!.Edited_At).not.toBeNull();
    expect(await early(sessionId)).toEqual([]);
  });

  it(`forgets changes whose message has not come ${earlyChangeMaxAgeDays} days later`, async () => {
    const sessionId = randomUUID();
    await on(sessionId, reaction('never-comes', '👍'), 'orphan');
    await on(sessionId, reaction('comes-later', '👍'), 'pending');
    expect((await early(sessionId)).sort()).toEqual(['comes-later', 'never-comes']);
    now += earlyChangeMaxAgeDays * day;
    await on(sessionId, reaction('another', '🎉'), 'newer');
    expect((await early(sessionId)).sort()).toEqual(['another']);
  });
});
