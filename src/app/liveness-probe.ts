import type { Running } from './supervised-session.js';
import { withTimeout } from './supervisor-timing.js';

/**
 * Asks each running session's driver whether it still answers. Answers which sessions are alive (their beat is
 * noted) and which just missed `missedBeforeDead` beats in a row (the caller marks them dead and restarts them).
 */
export async function probeLiveness(
  sessions: Iterable<Running>,
  options: { timeoutMs: number; missedBeforeDead: number; now: () => Date },
): Promise<{ alive: Running[]; dead: Running[] }> {
  const alive: Running[] = [];
  const dead: Running[] = [];
  await Promise.all(
    [...sessions].map(async (running) => {
      if (!running.driverSession) return;
      const ok = await withTimeout(running.driverSession.isAlive(), options.timeoutMs).catch(() => false);
      if (ok) {
        running.missedBeats = 0;
        running.lastBeat = options.now();
        alive.push(running);
        return;
      }
      running.missedBeats += 1;
      if (running.missedBeats >= options.missedBeforeDead) dead.push(running);
    }),
  );
  return { alive, dead };
}
