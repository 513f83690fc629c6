import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedVersionError } from './errors.js';
import type { EventStore, EventToAppend, RecordedEvent, SubscribeOptions } from './port.js';

/** The behaviour every event store adapter must show. Each case uses its own stream names, so one store serves all. */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
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

    describe('reading a stream', () => {
      it('reads forwards from a revision with a limit', async () => {
        const stream = await streamWith(['A', 'B', 'C', 'D']);
        const read = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(read.map((e) => e.type)).toEqual(['B', 'C']);
      });

      it('reads backwards from the end and from a revision', async () => {
        const stream = await streamWith(['A', 'B', 'C', 'D']);
        expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.type)).toEqual([
          'D',
          'C',
          'B',
          'A',
        ]);
        const fromB = await store.readStream(stream, { direction: 'backwards', fromRevision: 1n });
        expect(fromB.map((e) => e.type)).toEqual(['B', 'A']);
      });

      it('reads a long stream in revision order, both ways, from a revision', async () => {
        const types = Array.from({ length: 25 }, (_, i) => `E${i}`);
        const stream = await streamWith(types);
        const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(types);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 5 }))).toEqual([
          24, 23, 22, 21, 20,
        ]);
        expect(revisions(await store.readStream(stream, { fromRevision: 8n, maxCount: 4 }))).toEqual([
          8, 9, 10, 11,
        ]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(uniqueStream())).toEqual([]);
      });

      it('keeps data, metadata, ids and the stream name as written', async () => {
        const stream = uniqueStream();
        const written = event('Typed', { text: 'olá', n: 3, nested: { list: [1, null, true] } });
        await store.append(stream, [written], 'no_stream');
        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({
          id: written.id,
          type: 'Typed',
          streamName: stream,
          revision: 0n,
          data: written.data,
          metadata: written.metadata,
        });
        expect(read!.recordedAt).toBeInstanceOf(Date);
        expect(typeof read!.position).toBe('bigint');
      });
    });

    describe('reading all', () => {
      it('returns events of every stream in the order they were appended', async () => {
        const [a, b] = [uniqueStream(), uniqueStream()];
        await store.append(a, [event('A0')], 'no_stream');
        await store.append(b, [event('B0')], 'no_stream');
        await store.append(a, [event('A1')], 0n);
        const mine = (await readEverything()).filter((e) => e.streamName === a || e.streamName === b);
        expect(mine.map((e) => e.type)).toEqual(['A0', 'B0', 'A1']);
      });

      it('resumes after a checkpoint without repeating it', async () => {
        const [a, b] = [uniqueStream(), uniqueStream()];
        await store.append(a, [event('A0')], 'no_stream');
        await store.append(b, [event('B0')], 'no_stream');
        await store.append(a, [event('A1')], 0n);
        const all = await readEverything();
        const first = all.find((e) => e.streamName === a)!;
        const after = await readEverything(first.checkpoint);
        const mine = after.filter((e) => e.streamName === a || e.streamName === b);
        expect(mine.map((e) => e.type)).toEqual(['B0', 'A1']);
      });

      it('orders checkpoints as it orders events', async () => {
        const stream = await streamWith(['A', 'B']);
        const [a, b] = (await readEverything()).filter((e) => e.streamName === stream);
        expect(store.compareCheckpoints(a!.checkpoint, b!.checkpoint)).toBeLessThan(0);
        expect(store.compareCheckpoints(b!.checkpoint, a!.checkpoint)).toBeGreaterThan(0);
        expect(store.compareCheckpoints(a!.checkpoint, a!.checkpoint)).toBe(0);
      });

      it('pages through events written concurrently in one increasing order', async () => {
        const streams = Array.from({ length: 12 }, () => uniqueStream());
        await Promise.all(
          streams.map((stream) => store.append(stream, [event('A'), event('B'), event('C')], 'no_stream')),
        );
        const mine = (e: RecordedEvent) => streams.includes(e.streamName);
        const inOnePage = (await readEverything()).filter(mine);
        const paged: RecordedEvent[] = [];
        let from = (await readEverything()).findLast(
          (e) => !mine(e) && store.compareCheckpoints(e.checkpoint, inOnePage[0]!.checkpoint) < 0,
        )?.checkpoint;
        for (;;) {
          const page = await store.readAll({ ...(from === undefined ? {} : { from }), maxCount: 5 });
          if (page.length === 0) break;
          paged.push(...page.filter(mine));
          from = page.at(-1)!.checkpoint;
        }
        expect(paged.map((e) => e.id)).toEqual(inOnePage.map((e) => e.id));
        for (let i = 1; i < inOnePage.length; i++) {
          expect(
            store.compareCheckpoints(inOnePage[i - 1]!.checkpoint, inOnePage[i]!.checkpoint),
          ).toBeLessThan(0);
        }
        expect(inOnePage).toHaveLength(36);
      });

      it('pages through more events than a page holds, in order, without skipping any', async () => {
        // Enough events that positions cross a power of ten: ordering must be numeric, not by text.
        const stream = uniqueStream();
        const from = (await readEverything()).at(-1)?.checkpoint;
        const types = Array.from({ length: 1100 }, (_, i) => `P${i}`);
        for (let start = 0; start < types.length; start += 100) {
          await store.append(
            stream,
            types.slice(start, start + 100).map((t) => event(t)),
            start === 0 ? 'no_stream' : BigInt(start - 1),
          );
        }
        const paged: RecordedEvent[] = [];
        for (let cursor = from; ;) {
          const page = await store.readAll({
            ...(cursor === undefined ? {} : { from: cursor }),
            maxCount: 70,
          });
          if (page.length === 0) break;
          paged.push(...page.filter((e) => e.streamName === stream));
          cursor = page.at(-1)!.checkpoint;
        }
        expect(paged.map((e) => e.type)).toEqual(types);
      });

      it('pages with maxCount', async () => {
        const stream = await streamWith(['A', 'B', 'C']);
        const all = await readEverything();
        const first = all.find((e) => e.streamName === stream)!;
        const page = await store.readAll({ from: first.checkpoint, maxCount: 1 });
        expect(page).toHaveLength(1);
      });
    });

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

    function collect(options: Omit<SubscribeOptions, 'handle'>) {
      const events: RecordedEvent[] = [];
      const waiters: { count: number; resolve: () => void }[] = [];
      const subscription = store.subscribe({
        ...options,
        handle: (batch) => {
          events.push(...batch);
          for (const waiter of waiters) if (events.length >= waiter.count) waiter.resolve();
          return Promise.resolve();
        },
      });
      const waitFor = (count: number) =>
        events.length >= count
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              waiters.push({ count, resolve });
              subscription.done.then(() => reject(new Error('subscription ended early')), reject);
            });
      return { events, subscription, waitFor };
    }

    async function streamWith(types: string[]): Promise<string> {
      const stream = uniqueStream();
      await store.append(
        stream,
        types.map((t) => event(t)),
        'no_stream',
      );
      return stream;
    }

    async function readEverything(from?: string): Promise<RecordedEvent[]> {
      const all: RecordedEvent[] = [];
      let cursor = from;
      for (;;) {
        const page = await store.readAll({
          ...(cursor === undefined ? {} : { from: cursor }),
          maxCount: 1000,
        });
        all.push(...page);
        if (page.length < 1000) return all;
        cursor = page.at(-1)!.checkpoint;
      }
    }
  });
}

export function uniqueStream(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}

export function event(type: string, data: EventToAppend['data'] = { value: type }): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { correlationId: randomUUID(), actor: { type: 'system', id: 'test' } },
  };
}
