import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, RecordedEvent, SubscribeOptions } from './port.js';

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

/** Helpers of the contract cases, on the store under test (opened before the cases run). */
export function contractFixture(store: () => EventStore) {
  function collect(options: Omit<SubscribeOptions, 'handle'>) {
    const events: RecordedEvent[] = [];
    const waiters: { count: number; resolve: () => void }[] = [];
    const subscription = store().subscribe({
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
    await store().append(
      stream,
      types.map((t) => event(t)),
      'no_stream',
    );
    return stream;
  }

  /**
   * Every event committed when it was asked, from `from`. A store's read of all may hold back what is committed but
   * not settled yet (PostgreSQL: while a transaction elsewhere on the server, another test's too, runs): it is
   * read again until it reaches the head.
   */
  async function readEverything(from?: string): Promise<RecordedEvent[]> {
    const head = await store().headCheckpoint([]);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const all = await readAllOnce(from);
      const last = all.at(-1)?.checkpoint ?? from;
      const reached = head === null || (last !== undefined && store().compareCheckpoints(last, head) >= 0);
      if (reached || Date.now() > deadline) return all;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function readAllOnce(from?: string): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    let cursor = from;
    for (;;) {
      const page = await store().readAll({
        ...(cursor === undefined ? {} : { from: cursor }),
        maxCount: 1000,
      });
      all.push(...page);
      if (page.length < 1000) return all;
      cursor = page.at(-1)!.checkpoint;
    }
  }

  return {
    get store() {
      return store();
    },
    collect,
    streamWith,
    readEverything,
  };
}

export type ContractFixture = ReturnType<typeof contractFixture>;
