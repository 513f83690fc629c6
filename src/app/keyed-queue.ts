/**
 * Runs tasks one after another per key (a session, a chat) and concurrently across keys, so that what WhatsApp
 * reports about one chat is recorded in the order it was reported.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(task, task);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    /** Resolves when every task queued so far has finished. */
    async drain(): Promise<void> {
      while (tails.size) await Promise.all([...tails.values()]);
    },
  };
}

export type KeyedQueue = ReturnType<typeof createKeyedQueue>;
