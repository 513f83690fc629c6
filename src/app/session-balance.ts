import type { LeaseRenewal } from './session-leases.js';

export interface BalanceOptions {
  /** Most sessions a process hands over per heartbeat (0: never hands any over). */
  step: number;
  heartbeatIntervalMs: number;
  now?: () => number;
}

/** A session this process runs, as far as handing it over is concerned. */
export interface BalanceCandidate {
  sessionId: string;
  /** Connected and settled: it can restart elsewhere from its saved login, without a new QR code. */
  movable: boolean;
}

/**
 * How this process shares the sessions with the other live gateway processes. Each takes free sessions up to its
 * fair share; one that holds two or more sessions more than the least loaded hands some over, a few per beat,
 * so a process that joins gets its share in small steps. A free session nobody took within two beats is taken
 * whatever the shares, so a process that counts as live but starts nothing cannot strand sessions; and if what
 * this process handed over comes back that way, it stops handing over for a while (no flapping).
 */
export function createSessionBalance(options: BalanceOptions) {
  const now = options.now ?? Date.now;
  const overdueAfterMs = 2 * options.heartbeatIntervalMs;
  const pauseMs = 10 * options.heartbeatIntervalMs;
  const freeSince = new Map<string, number>();
  const handedOver = new Map<string, number>();
  let pausedUntil = 0;

  return {
    /** Of the sessions this process runs, those to hand over now, given the spread the last renewal saw. */
    toHandOver(running: readonly BalanceCandidate[], spread: LeaseRenewal): string[] {
      for (const [id, at] of handedOver) if (now() - at >= pauseMs) handedOver.delete(id);
      if (options.step <= 0 || spread.members < 2 || now() < pausedUntil) return [];
      const excess = running.length - spread.least;
      if (excess < 2) return [];
      const count = Math.min(options.step, Math.floor(excess / 2));
      const chosen = running
        .filter((s) => s.movable)
        .slice(0, count)
        .map((s) => s.sessionId);
      for (const sessionId of chosen) handedOver.set(sessionId, now());
      return chosen;
    },

    /**
     * Of the free sessions, those to take now, in order: the overdue first, then up to the fair share of the
     * sessions that should run (`wanted`) over the live processes.
     */
    toTake(free: readonly string[], state: { wanted: number; mine: number; members: number }): string[] {
      const at = now();
      const freeNow = new Set(free);
      for (const id of freeSince.keys()) if (!freeNow.has(id)) freeSince.delete(id);
      for (const id of free) if (!freeSince.has(id)) freeSince.set(id, at);
      const overdue = free.filter((id) => at - (freeSince.get(id) ?? at) >= overdueAfterMs);
      const share = Math.ceil(state.wanted / Math.max(1, state.members));
      const room = Math.max(0, share - state.mine - overdue.length);
      const overdueSet = new Set(overdue);
      // What this process has just handed over is for the others (unless nobody takes it: overdue).
      const rest = free.filter((id) => !overdueSet.has(id) && !handedOver.has(id)).slice(0, room);
      return [...overdue, ...rest];
    },

    /** A session this process now runs: if it handed it over lately, the hand-over did not take. */
    taken(sessionId: string): void {
      freeSince.delete(sessionId);
      const at = handedOver.get(sessionId);
      handedOver.delete(sessionId);
      if (at !== undefined && now() - at < pauseMs) pausedUntil = now() + pauseMs;
    },
  };
}

export type SessionBalance = ReturnType<typeof createSessionBalance>;
