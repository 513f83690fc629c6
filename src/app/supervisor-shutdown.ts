import type { Logger } from '../logger.js';
import type { Running } from './supervised-session.js';
import { withTimeout } from './supervisor-timing.js';

/**
 * Closes every running driver within `timeoutMs` each, all at once, and records each session as stopped (it is
 * restored on the next boot). A driver that does not close in time, or a stop that cannot be recorded, is
 * logged; shutdown goes on.
 */
export async function closeAllForShutdown(
  all: readonly Running[],
  deps: { timeoutMs: number; recordStopped: (running: Running) => Promise<unknown>; logger: Logger },
): Promise<void> {
  const { logger } = deps;
  await Promise.all(
    all.map(async (running) => {
      if (running.restartTimer) clearTimeout(running.restartTimer);
      if (!running.driverSession) return;
      await withTimeout(running.driverSession.stop(), deps.timeoutMs).catch((error: unknown) =>
        logger.warn({ err: error, sessionId: running.sessionId }, 'Driver did not close in time'),
      );
      await deps
        .recordStopped(running)
        .catch((error: unknown) =>
          logger.error({ err: error, sessionId: running.sessionId }, 'Could not record the stop'),
        );
    }),
  );
}
