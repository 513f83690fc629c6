import type { Logger } from '../logger.js';

/**
 * Who wants to know that a session's driver has started on this process (pending media downloads, group sync).
 * A listener's failure is its own: the driver has started all the same.
 */
export function createDriverReadyNotice(logger: Logger) {
  const listeners = new Set<(sessionId: string) => void>();
  return {
    announce: (sessionId: string): void => {
      for (const listener of listeners) {
        try {
          listener(sessionId);
        } catch (error) {
          logger.error({ err: error, sessionId }, 'A listener of started drivers failed');
        }
      }
    },
    /** Calls `listener` at each announcement from now on; answers the function that stops the calls. */
    listen: (listener: (sessionId: string) => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
