import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbEmulator, type EventStoreDbEmulator } from './start-eventstoredb-emulator.js';

describe('EventStoreDB emulator, seen through the official client', () => {
  let emulator: EventStoreDbEmulator;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    emulator = await startEventStoreDbEmulator();
    client = EventStoreDBClient.connectionString(emulator.connectionString);
  });
  afterAll(async () => {
    await client?.dispose();
    await emulator?.stop();
  });

  const stream = () => `emulated-${randomUUID()}`;
  const event = (type: string) => jsonEvent({ id: randomUUID(), type, data: { type } });
  const types = (events: ResolvedEvent[]) => events.map((e) => e.event?.type);
  const read = async (events: AsyncIterable<ResolvedEvent>) => {
    const all: ResolvedEvent[] = [];
    for await (const e of events) all.push(e);
    return all;
  };

  it('numbers revisions from 0 and gives every event a greater position', async () => {
    const name = stream();
    const result = await client.appendToStream(name, [event('A'), event('B')], {
      expectedRevision: NO_STREAM,
    });
    expect(result.nextExpectedRevision).toBe(1n);
    const [a, b] = await read(client.readStream(name));
    expect([a?.event?.revision, b?.event?.revision]).toEqual([0n, 1n]);
    expect(b!.event!.position!.commit).toBeGreaterThan(a!.event!.position!.commit);
    expect(b!.event!.created).toBeInstanceOf(Date);
  });

  it('acknowledges a batch replayed with its original expected revision without writing it again', async () => {
    const name = stream();
    const batch = [event('A'), event('B')];
    await client.appendToStream(name, batch, { expectedRevision: NO_STREAM });
    await client.appendToStream(name, [event('C')], { expectedRevision: 1n });
    const replay = await client.appendToStream(name, batch, { expectedRevision: NO_STREAM });
    expect(replay.nextExpectedRevision).toBe(1n);
    expect(types(await read(client.readStream(name)))).toEqual(['A', 'B', 'C']);
  });

  it('acknowledges a batch replayed with any', async () => {
    const name = stream();
    const batch = [event('A')];
    await client.appendToStream(name, batch);
    await client.appendToStream(name, batch);
    expect(await read(client.readStream(name))).toHaveLength(1);
  });

  it('writes a stored id again when it is sent at the current revision, as the server does', async () => {
    const name = stream();
    const once = event('A');
    await client.appendToStream(name, [once], { expectedRevision: NO_STREAM });
    await client.appendToStream(name, [once], { expectedRevision: 0n });
    expect(await read(client.readStream(name))).toHaveLength(2);
  });

  it('tells a wrong expected version in the response, with the current revision or no stream', async () => {
    const name = stream();
    const missing = await client
      .appendToStream(name, [event('A')], { expectedRevision: 3n })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect(missing).toMatchObject({ expectedVersion: 3n, actualVersion: NO_STREAM });
    await client.appendToStream(name, [event('A')], { expectedRevision: NO_STREAM });
    const stale = await client
      .appendToStream(name, [event('B')], { expectedRevision: NO_STREAM })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ expectedVersion: NO_STREAM, actualVersion: 0n });
  });

  it('reads a stream backwards with a count, and a missing stream as not found', async () => {
    const name = stream();
    await client.appendToStream(name, ['A', 'B', 'C', 'D'].map(event));
    const fromEnd = client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 2 });
    expect(types(await read(fromEnd))).toEqual(['D', 'C']);
    expect(types(await read(client.readStream(name, { direction: BACKWARDS, fromRevision: 1n })))).toEqual([
      'B',
      'A',
    ]);
    await expect(read(client.readStream(stream()))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all with the system records first, forwards and backwards', async () => {
    const name = stream();
    await client.appendToStream(name, [event('Last')]);
    const forwards = await read(client.readAll({ fromPosition: START, maxCount: 2 }));
    expect(forwards.every((e) => e.event?.streamId.startsWith('$'))).toBe(true);
    const [latest] = await read(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
    expect(latest?.event?.streamId).toBe(name);
    const again = await read(client.readAll({ fromPosition: latest!.event!.position, direction: FORWARDS }));
    expect(types(again)).toEqual(['Last']);
  });

  it('subscribes to $all after a position with a prefix filter, catching up then going live', async () => {
    const prefix = `sub${randomUUID().slice(0, 8)}-`;
    await client.appendToStream(`${prefix}1`, [event('Old')]);
    const [old] = await read(client.readStream(`${prefix}1`));
    await client.appendToStream(`${prefix}1`, [event('Stored')]);
    await client.appendToStream(stream(), [event('Unrelated')]);
    const subscription = client.subscribeToAll({
      fromPosition: old!.event!.position!,
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const received: ResolvedEvent[] = [];
    subscription.once('caughtUp', () => void client.appendToStream(`${prefix}2`, [event('Live')]));
    for await (const e of subscription) {
      received.push(e);
      if (received.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(types(received)).toEqual(['Stored', 'Live']);
  });

  it('leaves system events out of a subscription filtered on event type', async () => {
    const name = stream();
    await client.appendToStream(name, [event('Mine')]);
    const subscription = client.subscribeToAll({ filter: excludeSystemEvents() });
    for await (const e of subscription) {
      expect(e.event?.type.startsWith('$')).toBe(false);
      if (e.event?.streamId === name) break;
    }
    await subscription.unsubscribe();
  });

  it('refuses a filter with neither prefixes nor a regex', async () => {
    const subscription = client.subscribeToAll({ filter: streamNameFilter({ prefixes: [] }) });
    await expect(read(subscription)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('subscribes to a stream after a revision', async () => {
    const name = stream();
    await client.appendToStream(name, ['A', 'B', 'C'].map(event));
    const subscription = client.subscribeToStream(name, { fromRevision: 0n });
    const received: ResolvedEvent[] = [];
    for await (const e of subscription) {
      received.push(e);
      if (received.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(types(received)).toEqual(['B', 'C']);
  });
});
