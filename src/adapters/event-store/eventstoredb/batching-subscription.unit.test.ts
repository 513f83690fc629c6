import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliverInBatches } from './batching-subscription.js';

describe('deliverInBatches', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp(handle: (batch: readonly number[]) => Promise<void>, maxBatchSize = 2) {
    const source = new PassThrough({ objectMode: true });
    const release = vi.fn(() => Promise.resolve());
    const subscription = deliverInBatches<number>({
      source,
      toEvent: (item) => (item === 'skip' ? undefined : Number(item)),
      handle,
      maxBatchSize,
      flushAfterMs: 5,
      release,
    });
    return { source, release, subscription };
  }

  it('hands over full batches at once and the rest once the flush delay passes', async () => {
    const batches: number[][] = [];
    const { source } = setUp((batch) => {
      batches.push([...batch]);
      return Promise.resolve();
    });
    for (const item of [1, 'skip', 2, 3, 4, 5]) source.write(item);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('does not hand over the next batch before the handler resolves, and pauses the source meanwhile', async () => {
    const batches: number[][] = [];
    let finish!: () => void;
    const { source } = setUp((batch) => {
      batches.push([...batch]);
      return new Promise((resolve) => (finish = resolve));
    });
    for (const item of [1, 2, 3, 4]) source.write(item);
    await vi.advanceTimersByTimeAsync(50);
    expect(batches).toEqual([[1, 2]]);
    expect(source.isPaused()).toBe(true);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('ends with the handler error and releases the source', async () => {
    const { source, release, subscription } = setUp(() => Promise.reject(new Error('projector broke')));
    source.write(1);
    const outcome = expect(subscription.done).rejects.toThrow('projector broke');
    await vi.advanceTimersByTimeAsync(10);
    await outcome;
    expect(release).toHaveBeenCalledOnce();
  });

  it('ends with the source error', async () => {
    const { source, subscription } = setUp(() => Promise.resolve());
    source.destroy(new Error('connection lost'));
    await expect(subscription.done).rejects.toThrow('connection lost');
  });

  it('lets the batch in hand finish on stop, then delivers nothing more', async () => {
    const batches: number[][] = [];
    let finish!: () => void;
    const { source, release, subscription } = setUp((batch) => {
      batches.push([...batch]);
      return new Promise((resolve) => (finish = resolve));
    });
    source.write(1);
    source.write(2);
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    source.write(3);
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await expect(subscription.done).resolves.toBeUndefined();
    expect(batches).toEqual([[1, 2]]);
    expect(release).toHaveBeenCalledOnce();
  });
});
