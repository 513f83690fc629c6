import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../../../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { event } from '../event-store/event-store-contract-fixture.js';
import { createEventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store.js';
import type { EventStore } from '../event-store/port.js';
import { verifyEventStoreDbStore } from './verify-eventstoredb-store.js';

let emulator: EventStoreDbEmulator;
let store: EventStore;
let client: EventStoreDBClient;

describe('the hash chain on EventStoreDB', () => {
  beforeEach(async () => {
    emulator = await startEventStoreDbEmulator();
    store = createEventStoreDbEventStore(emulator.connectionString);
    client = EventStoreDBClient.connectionString(emulator.connectionString);
    await store.append('session-s1', [event('A0'), event('A1')], 'no_stream');
    await store.append('chat-s1_x', [event('B0')], 'no_stream');
    await store.append('session-s1', [event('A2')], 1n);
  });

  afterEach(async () => {
    await client.dispose();
    await store.close();
    await emulator.stop();
  });

  it('verifies what the store appended, and hides the chain from readers', async () => {
    expect(await verifyEventStoreDbStore(client)).toMatchObject({ firstBreak: null, events: 4, streams: 2 });
    const [first] = await store.readStream('session-s1');
    expect(first!.metadata).not.toHaveProperty('auditChain');
  });

  it('names an event written past the store, without a hash', async () => {
    await client.appendToStream('session-s1', [jsonEvent({ type: 'Forged', data: {} })]);
    expect((await verifyEventStoreDbStore(client)).firstBreak).toMatchObject({
      streamName: 'session-s1',
      revision: '3',
    });
  });

  it('names an event whose hash does not match it', async () => {
    const [last] = await store.readStream('chat-s1_x', { direction: 'backwards', maxCount: 1 });
    const raw = client.readStream('chat-s1_x', { maxCount: 1 });
    let link: unknown;
    for await (const resolved of raw) link = (resolved.event?.metadata as Record<string, unknown>).auditChain;
    await client.appendToStream('chat-s1_x', [
      jsonEvent({
        type: 'Copied',
        data: { value: 'other' },
        metadata: { ...last!.metadata, auditChain: link } as never,
      }),
    ]);
    expect((await verifyEventStoreDbStore(client)).firstBreak).toMatchObject({
      streamName: 'chat-s1_x',
      revision: '1',
    });
  });
});
