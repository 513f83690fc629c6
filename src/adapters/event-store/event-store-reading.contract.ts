import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { event, uniqueStream, type ContractFixture } from './event-store-contract-fixture.js';
import type { RecordedEvent } from './port.js';

/** The contract cases on reading: one stream, and all streams in order. */
export function readingContract(fixture: ContractFixture): void {
  describe('reading a stream', () => {
    it('reads forwards from a revision with a limit', async () => {
      const stream = await fixture.streamWith(['A', 'B', 'C', 'D']);
      const read = await fixture.store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
      expect(read.map((e) => e.type)).toEqual(['B', 'C']);
    });

    it('reads backwards from the end and from a revision', async () => {
      const stream = await fixture.streamWith(['A', 'B', 'C', 'D']);
      expect((await fixture.store.readStream(stream, { direction: 'backwards' })).map((e) => e.type)).toEqual(
        ['D', 'C', 'B', 'A'],
      );
      const fromB = await fixture.store.readStream(stream, { direction: 'backwards', fromRevision: 1n });
      expect(fromB.map((e) => e.type)).toEqual(['B', 'A']);
    });

    it('reads a long stream in revision order, both ways, from a revision', async () => {
      const types = Array.from({ length: 25 }, (_, i) => `E${i}`);
      const stream = await fixture.streamWith(types);
      const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));
      expect((await fixture.store.readStream(stream)).map((e) => e.type)).toEqual(types);
      expect(
        revisions(await fixture.store.readStream(stream, { direction: 'backwards', maxCount: 5 })),
      ).toEqual([24, 23, 22, 21, 20]);
      expect(revisions(await fixture.store.readStream(stream, { fromRevision: 8n, maxCount: 4 }))).toEqual([
        8, 9, 10, 11,
      ]);
    });

    it('reads a stream that does not exist as empty', async () => {
      expect(await fixture.store.readStream(uniqueStream())).toEqual([]);
    });

    it('keeps data, metadata, ids and the stream name as written', async () => {
      const stream = uniqueStream();
      const written = event('Typed', { text: 'olá', n: 3, nested: { list: [1, null, true] } });
      await fixture.store.append(stream, [written], 'no_stream');
      const [read] = await fixture.store.readStream(stream);
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
      await fixture.store.append(a, [event('A0')], 'no_stream');
      await fixture.store.append(b, [event('B0')], 'no_stream');
      await fixture.store.append(a, [event('A1')], 0n);
      const mine = (await fixture.readEverything()).filter((e) => e.streamName === a || e.streamName === b);
      expect(mine.map((e) => e.type)).toEqual(['A0', 'B0', 'A1']);
    });

    it('resumes after a checkpoint without repeating it', async () => {
      const [a, b] = [uniqueStream(), uniqueStream()];
      await fixture.store.append(a, [event('A0')], 'no_stream');
      await fixture.store.append(b, [event('B0')], 'no_stream');
      await fixture.store.append(a, [event('A1')], 0n);
      const all = await fixture.readEverything();
      const first = all.find((e) => e.streamName === a)!;
      const after = await fixture.readEverything(first.checkpoint);
      const mine = after.filter((e) => e.streamName === a || e.streamName === b);
      expect(mine.map((e) => e.type)).toEqual(['B0', 'A1']);
    });

    it('gives the checkpoint of the last event committed in the streams asked for', async () => {
      const category = `head${randomUUID().replaceAll('-', '')}`;
      expect(await fixture.store.headCheckpoint([`${category}-`])).toBeNull();
      const first = uniqueStream(category);
      await fixture.store.append(first, [event('A'), event('B')], 'no_stream');
      await fixture.store.append(uniqueStream(), [event('Other')], 'no_stream');
      const last = (await fixture.readEverything()).filter((e) => e.streamName === first).at(-1)!;
      expect(await fixture.store.headCheckpoint([`${category}-`])).toBe(last.checkpoint);
    });

    it('orders checkpoints as it orders events', async () => {
      const stream = await fixture.streamWith(['A', 'B']);
      const [a, b] = (await fixture.readEverything()).filter((e) => e.streamName === stream);
      expect(fixture.store.compareCheckpoints(a!.checkpoint, b!.checkpoint)).toBeLessThan(0);
      expect(fixture.store.compareCheckpoints(b!.checkpoint, a!.checkpoint)).toBeGreaterThan(0);
      expect(fixture.store.compareCheckpoints(a!.checkpoint, a!.checkpoint)).toBe(0);
    });

    it('pages through events written concurrently in one increasing order', async () => {
      const streams = Array.from({ length: 12 }, () => uniqueStream());
      await Promise.all(
        streams.map((stream) =>
          fixture.store.append(stream, [event('A'), event('B'), event('C')], 'no_stream'),
        ),
      );
      const mine = (e: RecordedEvent) => streams.includes(e.streamName);
      const inOnePage = (await fixture.readEverything()).filter(mine);
      const paged: RecordedEvent[] = [];
      let from = (await fixture.readEverything()).findLast(
        (e) => !mine(e) && fixture.store.compareCheckpoints(e.checkpoint, inOnePage[0]!.checkpoint) < 0,
      )?.checkpoint;
      for (;;) {
        const page = await fixture.store.readAll({ ...(from === undefined ? {} : { from }), maxCount: 5 });
        if (page.length === 0) break;
        paged.push(...page.filter(mine));
        from = page.at(-1)!.checkpoint;
      }
      expect(paged.map((e) => e.id)).toEqual(inOnePage.map((e) => e.id));
      for (let i = 1; i < inOnePage.length; i++) {
        expect(
          fixture.store.compareCheckpoints(inOnePage[i - 1]!.checkpoint, inOnePage[i]!.checkpoint),
        ).toBeLessThan(0);
      }
      expect(inOnePage).toHaveLength(36);
    });

    it('pages through more events than a page holds, in order, without skipping any', async () => {
      // Enough events that positions cross a power of ten: ordering must be numeric, not by text.
      const stream = uniqueStream();
      const from = (await fixture.readEverything()).at(-1)?.checkpoint;
      const types = Array.from({ length: 1100 }, (_, i) => `P${i}`);
      for (let start = 0; start < types.length; start += 100) {
        await fixture.store.append(
          stream,
          types.slice(start, start + 100).map((t) => event(t)),
          start === 0 ? 'no_stream' : BigInt(start - 1),
        );
      }
      const paged: RecordedEvent[] = [];
      for (let cursor = from; ;) {
        const page = await fixture.store.readAll({
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
      const stream = await fixture.streamWith(['A', 'B', 'C']);
      const all = await fixture.readEverything();
      const first = all.find((e) => e.streamName === stream)!;
      const page = await fixture.store.readAll({ from: first.checkpoint, maxCount: 1 });
      expect(page).toHaveLength(1);
    });
  });
}
