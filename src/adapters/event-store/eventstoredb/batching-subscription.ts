import type { Readable } from 'node:stream';
import type { Subscription } from '../port.js';

export interface BatchingOptions<T> {
  // An object-mode stream of whatever the server sends; it is paused while a full batch waits for the handler.
  source: Readable;
  // Turns one item of the source into an event, or undefined to skip it.
  toEvent(item: unknown): T | undefined;
  handle(events: readonly T[]): Promise<void>;
  maxBatchSize: number;
  // How long a partial batch waits for more events before it is handed over.
  flushAfterMs: number;
  // Releases the source; called once when the subscription ends for any reason.
  release(): Promise<void>;
}

export interface BatchingSubscription extends Subscription {
  // Ends the subscription with an error, as if the source had failed.
  fail(error: unknown): Promise<void>;
}

/**
 * Delivers the items of a live source in batches, one batch at a time: while the handler works, at most one
 * batch more is buffered and the source is paused, so a slow handler slows the reading instead of filling memory.
 */
export function deliverInBatches<T>(options: BatchingOptions<T>): BatchingSubscription {
  const { source, maxBatchSize } = options;
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // an unobserved `done` must not become an unhandled rejection
  let buffer: T[] = [];
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failure: { error: unknown } | undefined;
  let ending: Promise<void> | undefined;

  source.on('data', (item: unknown) => {
    if (ending) return;
    let event: T | undefined;
    try {
      event = options.toEvent(item);
    } catch (error) {
      return void fail(error);
    }
    if (event === undefined) return;
    buffer.push(event);
    if (buffer.length >= maxBatchSize) source.pause();
    schedule();
  });
  source.on('error', (error) => void fail(error));
  source.on('end', () => void fail(new Error('EventStoreDB ended the subscription')));

  function schedule(): void {
    if (ending || inFlight || buffer.length === 0) return;
    if (buffer.length >= maxBatchSize) deliver();
    else timer ??= setTimeout(deliver, options.flushAfterMs);
  }

  function deliver(): void {
    clearTimeout(timer);
    timer = undefined;
    if (ending || inFlight || buffer.length === 0) return;
    const batch = buffer.splice(0, maxBatchSize);
    inFlight = handleSafely(batch).then(
      () => {
        inFlight = undefined;
        if (ending) return;
        if (buffer.length < maxBatchSize) source.resume();
        schedule();
      },
      (error: unknown) => {
        inFlight = undefined;
        failure ??= { error }; // even after stop(): the batch in hand failed
        void end();
      },
    );
  }

  function handleSafely(batch: readonly T[]): Promise<void> {
    // The executor turns a handler that throws instead of rejecting into a rejection.
    return new Promise<void>((resolve) => resolve(options.handle(batch)));
  }

  function fail(error: unknown): Promise<void> {
    if (!ending) failure ??= { error };
    return end();
  }

  function end(): Promise<void> {
    ending ??= (async () => {
      clearTimeout(timer);
      buffer = [];
      await inFlight;
      try {
        await options.release();
      } catch (error) {
        failure ??= { error };
      }
      if (failure) settle.reject(failure.error);
      else settle.resolve();
    })();
    return ending;
  }

  return { stop: end, fail, done };
}
