import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { recordIncomingMessage } from '../../test-support/incoming-message.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { createPostgresSnapshotStore } from '../adapters/db/postgres-snapshot-store.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import type { CommandContext } from './command-context.js';
import { createCommandHandler } from './command-handler.js';

let testDb: MigratedTestDatabase;
let store: EventStore;

beforeAll(async () => {
  testDb = await openMigratedTestDatabase('postgres', 'stream_states');
  store = createPostgresEventStore(testDb.database);
});

afterAll(async () => {
  await store?.close();
  await testDb?.dispose();
});

const contextFor = (sessionId: string): CommandContext => ({
  companyId: 'company-1',
  sessionId,
  actor: { type: 'user', id: 'user-7' },
  correlationId: randomUUID(),
  causationId: null,
});

describe('the state of a long stream', () => {
  const incoming = (sessionId: string, chatJid: string, n: number) =>
    recordIncomingMessage(sessionId, chatJid, {
      waMessageId: `false_${chatJid}_${n}`,
      body: `message ${n}`,
      timestamp: 1_764_000_000 + n,
    });

  it('is loaded by a process that never saw it from the latest snapshot and the events after it', async () => {
    const snapshots = createPostgresSnapshotStore(readModelDb(testDb.database.db));
    const sessionId = randomUUID();
    const chatJid = '5511988887777@c.us';
    const stream = chatStreamName(sessionId, chatJid);
    const writer = createCommandHandler(store, { snapshots, snapshotEvery: 10 });
    for (let n = 0; n < 25; n++)
      await writer(chatStream, stream, incoming(sessionId, chatJid, n), contextFor(sessionId));
    await eventually(async () => (await snapshots.load(stream))?.revision === 19n);

    const reads: (bigint | undefined)[] = [];
    const watched: EventStore = {
      ...store,
      readStream: (name, options) => {
        if (name === stream) reads.push(options?.fromRevision);
        return store.readStream(name, options);
      },
    };
    const loaded = await createCommandHandler(watched, { snapshots }).load(chatStream, stream);
    expect(reads).toEqual([20n]);
    expect(loaded.revision).toBe(24n);
    expect(loaded.state).toEqual((await createCommandHandler(store).load(chatStream, stream)).state);
    expect(loaded.state.unread).toBe(25);
  });
});
