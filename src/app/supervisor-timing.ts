export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(readonly ms: number) {
    super(`No answer within ${ms} ms`);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new TimeoutError(ms)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Exponential backoff with jitter: about initial × 2^attempt, never above max. */
export function restartDelay(attempt: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(base / 2 + (Math.random() * base) / 2);
}

/** Runs `work` over the items, at most `limit` at a time. */
export async function boundedParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Runs `work` every `intervalMs`, never two at once: a turn that outlasts the interval (a slow database) makes the
 * next one skip. Failures are logged. Answers the timer (unref'd), to clear on shutdown.
 */
export function everyWithoutOverlap(
  work: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): NodeJS.Timeout {
  let working = false;
  const timer = setInterval(() => {
    if (working) return;
    working = true;
    work()
      .catch(onError)
      .finally(() => (working = false));
  }, intervalMs);
  timer.unref();
  return timer;
}
