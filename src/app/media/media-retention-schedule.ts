import type { Logger } from '../../logger.js';

/**
 * Runs the retention sweep every `intervalMs` while this process holds the singleton: at once when it takes
 * it, then after each sweep has ended (sweeps never overlap).
 */
export function scheduleRetention(
  sweep: () => Promise<unknown>,
  intervalMs: number,
  logger: Logger,
  what = 'The media retention sweep',
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const turn = () => {
    running = sweep()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, `${what} failed`))
      .finally(() => {
        if (!stopped) timer = setTimeout(turn, intervalMs).unref();
      });
  };

  return {
    start(): Promise<void> {
      stopped = false;
      turn();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
