import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedVersionError } from './errors.js';
import { contractFixture, event, uniqueStream } from './event-store-contract-fixture.js';
import { readingContract } from './event-store-reading.contract.js';
import type { EventStore } from './port.js';

/** The behaviour every event store adapter must show. Each case uses its own stream names, so one store serves all. */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    const fixture = contractFixture(() => store);
    const { collect } = fixture;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('expected revision', () => {
      it('creates a stream with no_stream and numbers its first event 0', async () => {
        const stream = uniqueStream();
        const result = await store.append(stream, [event('A'), event('B')], 'no_stream');
        expect(result.nextExpectedRevision).toBe(1n);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
        ]);
      });

      it('refuses no_stream when the stream exists, naming the actual revision', async () => {
        const stream = uniqueStream();
        await store.append(stream, [event('A')], 'no_stream');
        const error = await store.append(stream, [event('B')], 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stream, expected: 'no_stream', actual: 0n });
      });

      it('refuses stream_exists on a stream that does not exist', async () => {
        const stream = uniqueStream();
        const error = await store.append(stream, [event('A')], 'stream_exists').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('accepts stream_exists on a stream that exists', async () => {
        const stream = uniqueStream();
        await store.append(stream, [event('A')], 'no_stream');
        const result = await store.append(stream, [event('B')], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('accepts any whatever the stream holds', async () => {
        const stream = uniqueStream();
        await store.append(stream, [event('A')], 'any');
        const result = await store.append(stream, [event('B')], 'any');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('accepts the exact current revision and refuses a stale one', async () => {
        const stream = uniqueStream();
        await store.append(stream, [event('A'), event('B')], 'no_stream');
        await store.append(stream, [event('C')], 1n);
        const error = await store.append(stream, [event('D')], 1n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ expected: 1n, actual: 2n });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses a numeric revision on a stream that does not exist', async () => {
        const error = await store.append(uniqueStream(), [event('A')], 0n).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'WrongExpectedVersionError', expected: 0n, actual: 'no_stream' });
      });

      it('lets exactly one of 20 concurrent writers with the same expected revision win', async () => {
        const stream = uniqueStream();
        await store.append(stream, [event('Start')], 'no_stream');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.append(stream, [event(`Writer${i}`)], 0n)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const loss of lost) expect(loss.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('duplicate event ids', () => {
      it('stores an event id once when it is appended twice', async () => {
        const stream = uniqueStream();
        const once = event('Received');
        await store.append(stream, [once], 'any');
        const again = await store.append(stream, [once], 'any');
        expect(again.appended).toBe(0);
        expect(again.nextExpectedRevision).toBe(0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('treats a replayed append with its original expected revision as already done', async () => {
        const stream = uniqueStream();
        const first = [event('A'), event('B')];
        await store.append(stream, first, 'no_stream');
        const replay = await store.append(stream, first, 'no_stream');
        expect(replay).toEqual({ nextExpectedRevision: 1n, appended: 0 });
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    readingContract(fixture);

    describe('subscriptions', () => {
      it('catches up with stored events, then delivers new ones live, in order', async () => {
        const prefix = `sub${randomUUID().slice(0, 8)}-`;
        await store.append(`${prefix}1`, [event('Before1'), event('Before2')], 'no_stream');
        const received = collect({ filter: { streamPrefixes: [prefix] } });
        await received.waitFor(2);
        await store.append(`${prefix}2`, [event('Live1')], 'no_stream');
        await store.append(`${prefix}1`, [event('Live2')], 1n);
        await received.waitFor(4);
        await received.subscription.stop();
        expect(received.events.map((e) => e.type)).toEqual(['Before1', 'Before2', 'Live1', 'Live2']);
      });

      it('delivers only streams that match the prefix filter', async () => {
        const tag = randomUUID().slice(0, 8);
        const received = collect({ filter: { streamPrefixes: [`keep${tag}-`] } });
        await store.append(`skip${tag}-1`, [event('Skipped')], 'no_stream');
        await store.append(`keep${tag}-1`, [event('Kept1')], 'no_stream');
        await store.append(`skip${tag}-2`, [event('Skipped')], 'no_stream');
        await store.append(`keep${tag}-2`, [event('Kept2')], 'no_stream');
        await received.waitFor(2);
        await received.subscription.stop();
        expect(received.events.map((e) => e.type)).toEqual(['Kept1', 'Kept2']);
      });

      it('resumes from a checkpoint without repeating what was delivered', async () => {
        const prefix = `resume${randomUUID().slice(0, 8)}-`;
        await store.append(`${prefix}1`, [event('A'), event('B'), event('C')], 'no_stream');
        const first = collect({ filter: { streamPrefixes: [prefix] } });
        await first.waitFor(3);
        await first.subscription.stop();
        const second = collect({ filter: { streamPrefixes: [prefix] }, from: first.events[0]!.checkpoint });
        await second.waitFor(2);
        await second.subscription.stop();
        expect(second.events.map((e) => e.type)).toEqual(['B', 'C']);
      });

      it('ends with the handler error when the handler fails', async () => {
        const prefix = `fail${randomUUID().slice(0, 8)}-`;
        await store.append(`${prefix}1`, [event('A')], 'no_stream');
        const subscription = store.subscribe({
          filter: { streamPrefixes: [prefix] },
          handle: () => Promise.reject(new Error('projector broke')),
        });
        await expect(subscription.done).rejects.toThrow('projector broke');
      });
    });
  });
}

export { event, uniqueStream } from './event-store-contract-fixture.js';
