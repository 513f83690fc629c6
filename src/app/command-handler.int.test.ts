import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { WrongExpectedVersionError } from '../adapters/event-store/errors.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import type { Database } from '../adapters/db/database.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openPostgresDatabase } from '../adapters/db/postgres-database.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import { SessionDeletedError } from '../domain/session/session-errors.js';
import { sessionStream, sessionStreamName } from '../domain/session/session-stream.js';
import type { CommandContext } from './command-context.js';
import { ConcurrencyRetriesExhaustedError, createCommandHandler } from './command-handler.js';

let testDatabase: TestDatabase;
let database: Database;
let store: EventStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase('command_handler');
  database = openPostgresDatabase(testDatabase.url, { maxConnections: 20 });
  await migrateToLatest(database.db);
  store = createPostgresEventStore(database);
});

afterAll(async () => {
  await store?.close();
  await database?.close();
  await testDatabase?.drop();
});

const contextFor = (sessionId: string, extra: Partial<CommandContext> = {}): CommandContext => ({
  companyId: 'company-1',
  sessionId,
  actor: { type: 'user', id: 'user-7' },
  correlationId: randomUUID(),
  causationId: null,
  ...extra,
});

async function registeredSession(handle: ReturnType<typeof createCommandHandler>): Promise<string> {
  const sessionId = randomUUID();
  await handle(
    sessionStream,
    sessionStreamName(sessionId),
    {
      type: 'RegisterSession',
      sessionId,
      companyId: 'company-1',
      name: 'Atendimento',
      phoneNumber: null,
      tokenHash: null,
    },
    contextFor(sessionId),
  );
  return sessionId;
}

describe('command handler', () => {
  it('appends the decided events with the metadata of who asked', async () => {
    const handle = createCommandHandler(store, { clock: () => new Date('2026-05-01T12:00:00Z') });
    const sessionId = await registeredSession(handle);
    const context = contextFor(sessionId);
    const result = await handle(
      sessionStream,
      sessionStreamName(sessionId),
      { type: 'StartSession', sessionId },
      context,
    );

    expect(result.state.desired).toBe('running');
    const stored = await store.readStream(sessionStreamName(sessionId));
    expect(stored.map((e) => e.type)).toEqual(['SessionRegistered', 'SessionStartRequested']);
    expect(stored[1]!.metadata).toEqual({
      eventId: stored[1]!.id,
      companyId: 'company-1',
      sessionId,
      correlationId: context.correlationId,
      causationId: null,
      actor: { type: 'user', id: 'user-7' },
      recordedAt: '2026-05-01T12:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('decides again on the stored history when another process changed a stream it had cached', async () => {
    const here = createCommandHandler(store);
    const elsewhere = createCommandHandler(store);
    const sessionId = await registeredSession(here);
    const stream = sessionStreamName(sessionId);
    const start = { type: 'StartSession', sessionId } as const;
    const stop = { type: 'StopSession', sessionId } as const;

    await elsewhere(sessionStream, stream, start, contextFor(sessionId));
    // The cache says stopped, so a start is decided; the store refuses it, and on the stored history it is a no-op.
    const repeated = await here(sessionStream, stream, start, contextFor(sessionId));
    expect(repeated.events).toEqual([]);
    expect(repeated.state.desired).toBe('running');

    await elsewhere(sessionStream, stream, stop, contextFor(sessionId));
    // The cache says running, so a start looks like a no-op; nothing proves that, so the store is read.
    const restarted = await here(sessionStream, stream, start, contextFor(sessionId));
    expect(restarted.events.map((e) => e.type)).toEqual(['SessionStartRequested']);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual([
      'SessionRegistered',
      'SessionStartRequested',
      'SessionStopRequested',
      'SessionStartRequested',
    ]);
  });

  it('does not refuse a command on a cached state another process has moved past', async () => {
    const here = createCommandHandler(store);
    const elsewhere = createCommandHandler(store);
    const sessionId = randomUUID();
    const chatJid = '5511955554444@c.us';
    const stream = chatStreamName(sessionId, chatJid);
    await here(chatStream, stream, { type: 'MarkChatRead', sessionId, chatJid }, contextFor(sessionId));
    await here(
      chatStream,
      stream,
      {
        type: 'RecordIncomingMessage',
        sessionId,
        chatJid,
        message: {
          waMessageId: `false_${chatJid}_A1`,
          isGroup: false,
          fromMe: false,
          from: chatJid,
          to: '5511999999999@c.us',
          senderName: null,
          senderPhone: '5511955554444',
          chatName: null,
          type: 'chat',
          body: 'Oi',
          media: null,
          timestamp: 1_700_000_000,
        },
      },
      contextFor(sessionId),
    );
    const messageId = randomUUID();
    await elsewhere(
      chatStream,
      stream,
      {
        type: 'RequestMessageSend',
        sessionId,
        chatJid,
        messageId,
        from: null,
        body: 'Olá',
        media: null,
        idempotencyKey: null,
        requestHash: null,
        sessionConnected: true,
      },
      contextFor(sessionId),
    );
    // The cache here has never heard of the message; the store has.
    const attempt = await here(
      chatStream,
      stream,
      { type: 'RecordSendAttempt', sessionId, chatJid, messageId, attempt: 1, startedAt: new Date() },
      contextFor(sessionId),
    );
    expect(attempt.events.map((e) => e.type)).toEqual(['MessageSendAttempted']);
  });

  it('rejects a command the stream refuses, appending nothing', async () => {
    const handle = createCommandHandler(store);
    const sessionId = await registeredSession(handle);
    await handle(
      sessionStream,
      sessionStreamName(sessionId),
      { type: 'DeleteSession', sessionId },
      contextFor(sessionId),
    );
    await expect(
      handle(
        sessionStream,
        sessionStreamName(sessionId),
        { type: 'StartSession', sessionId },
        contextFor(sessionId),
      ),
    ).rejects.toThrow(SessionDeletedError);
    expect(await store.readStream(sessionStreamName(sessionId))).toHaveLength(2);
  });

  it('stores a WhatsApp fact delivered twice at the same time once', async () => {
    const handle = createCommandHandler(store);
    const sessionId = randomUUID();
    const chatJid = '5511988887777@c.us';
    const message = {
      waMessageId: 'false_5511988887777@c.us_AAA',
      isGroup: false,
      fromMe: false,
      from: chatJid,
      to: '5511999999999@c.us',
      senderName: 'João',
      senderPhone: '5511988887777',
      chatName: 'João',
      type: 'chat',
      body: 'Oi',
      media: null,
      timestamp: 1_700_000_000,
    };
    const deliver = () =>
      handle(
        chatStream,
        chatStreamName(sessionId, chatJid),
        { type: 'RecordIncomingMessage', sessionId, chatJid, message },
        contextFor(sessionId, { actor: { type: 'whatsapp', id: sessionId }, factKey: message.waMessageId }),
      );
    const outcomes = await Promise.all([deliver(), deliver(), deliver()]);
    expect(outcomes.flatMap((o) => o.events)).toHaveLength(1);
    expect(await store.readStream(chatStreamName(sessionId, chatJid))).toHaveLength(1);
  });

  it('retries on a version conflict so that concurrent writers to one stream all land', async () => {
    const handle = createCommandHandler(store, { maxAttempts: 20 });
    const sessionId = randomUUID();
    const chatJid = '5511977776666@c.us';
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handle(
          chatStream,
          chatStreamName(sessionId, chatJid),
          {
            type: 'RecordIncomingMessage',
            sessionId,
            chatJid,
            message: {
              waMessageId: `msg-${i}`,
              isGroup: false,
              fromMe: false,
              from: chatJid,
              to: '5511999999999@c.us',
              senderName: null,
              senderPhone: null,
              chatName: null,
              type: 'chat',
              body: `#${i}`,
              media: null,
              timestamp: 1_700_000_000 + i,
            },
          },
          contextFor(sessionId, { factKey: `msg-${i}` }),
        ),
      ),
    );
    const stored = await store.readStream(chatStreamName(sessionId, chatJid));
    expect(stored.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  });

  it('gives up after the configured number of attempts when the stream keeps changing', async () => {
    const alwaysConflicting: EventStore = {
      ...store,
      append: (streamName, _events, expected) =>
        Promise.reject(new WrongExpectedVersionError(streamName, expected, 99n)),
    };
    const handle = createCommandHandler(alwaysConflicting, { maxAttempts: 3 });
    const sessionId = randomUUID();
    const error = await handle(
      sessionStream,
      sessionStreamName(sessionId),
      { type: 'RegisterSession', sessionId, companyId: 'c', name: 'n', phoneNumber: null, tokenHash: null },
      contextFor(sessionId),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3 });
  });
});
