import type { DriverSession } from '../adapters/whatsapp/port.js';
import type { Logger } from '../logger.js';
import { createSessionBalance } from './session-balance.js';
import type { SessionLeases } from './session-leases.js';
import type { Running } from './supervised-session.js';

type Target = { sessionId: string; companyId: string };

export interface PlacementOptions {
  leases: SessionLeases;
  owner: string;
  heartbeatIntervalMs: number;
  rebalanceStep: number;
  /** Sessions whose last request was start. */
  sessionsToRestore(): Promise<Target[]>;
  /** Of these sessions, those whose last request was stop. */
  askedToStop(sessionIds: string[]): Promise<string[]>;
}

/**
 * Which process runs which session: this process's leases, renewed each beat with its membership, and its share
 * of the sessions (see session-balance.ts).
 */
export function createSessionPlacement(options: PlacementOptions) {
  const { leases, owner } = options;
  // A lease outlives two missed heartbeats, so a busy process keeps its sessions.
  const leaseTtlMs = 3 * options.heartbeatIntervalMs;
  const balance = createSessionBalance({
    step: options.rebalanceStep,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
  });
  // Live gateway processes as the last renewal saw them (unknown before the first: asked at restore).
  let members: number | undefined;

  return {
    leaseTtlMs,

    /** Takes the lease of a session asked to start here; false when another live process holds it. */
    claim: (sessionId: string) => leases.acquire(sessionId, owner, leaseTtlMs),

    /** Renews the leases of what runs here: answers those lost to another process and those to hand over. */
    async renew(
      running: readonly Running[],
    ): Promise<{ lost: string[]; toHandOver: string[]; receiver: string | undefined }> {
      const renewal = await leases.renew(
        running.map((r) => r.sessionId),
        owner,
        leaseTtlMs,
      );
      members = renewal.members;
      const lost = new Set(renewal.lost);
      const kept = running.filter((r) => !lost.has(r.sessionId));
      const movable = kept.map((r) => ({
        sessionId: r.sessionId,
        movable: !!r.driverSession && !r.launching && r.view.status === 'connected',
      }));
      return {
        lost: renewal.lost,
        toHandOver: balance.toHandOver(movable, renewal),
        receiver: renewal.leastOwner,
      };
    },

    /** Takes the leases of free sessions that should run, up to this process's share; answers them. */
    async claimFree(runningHere: ReadonlySet<string>): Promise<Target[]> {
      const wanted = await options.sessionsToRestore();
      const candidates = new Map(
        wanted.filter((s) => !runningHere.has(s.sessionId)).map((s) => [s.sessionId, s] as const),
      );
      const free = await leases.unheld([...candidates.keys()]);
      members ??= await leases.join(owner, leaseTtlMs);
      const mine = runningHere.size;
      const claimed: Target[] = [];
      for (const sessionId of balance.toTake(free, { wanted: wanted.length, mine, members }))
        if (await leases.acquire(sessionId, owner, leaseTtlMs)) {
          balance.taken(sessionId);
          claimed.push(candidates.get(sessionId)!);
        }
      // A stop recorded since the sessions were read: the session must not run (the lease goes back at once).
      const stopped = new Set(await options.askedToStop(claimed.map((target) => target.sessionId)));
      for (const sessionId of stopped) await leases.release(sessionId, owner);
      return claimed.filter((target) => !stopped.has(target.sessionId));
    },

    /**
     * Hands sessions over: each one's login saved first, so that the next process needs no new QR code (one whose
     * login cannot be saved stays here), then halted; then the receiver is asked to take them at once rather than
     * at its next beat.
     */
    async handOver(
      sessionIds: readonly string[],
      receiver: string | undefined,
      deps: {
        driverSession: (sessionId: string) => DriverSession | undefined;
        halt: (sessionId: string) => Promise<void>;
        nudge: ((owner: string) => void) | undefined;
        logger: Logger;
      },
    ): Promise<void> {
      let handedOver = 0;
      for (const sessionId of sessionIds) {
        if ((await deps.driverSession(sessionId)?.prepareHandOver?.()) === false) continue;
        deps.logger.info({ sessionId }, 'Handing the session over to a less loaded process');
        await deps.halt(sessionId);
        handedOver += 1;
      }
      if (handedOver && receiver) deps.nudge?.(receiver);
    },

    release: (sessionId: string) => leases.release(sessionId, owner),

    /** Leaves the cluster: the others share the sessions without this process from their next beat. */
    leave: () => leases.releaseAllOf([owner]),

    /** Whether another live process runs the session. */
    heldElsewhere: (sessionId: string) => leases.isHeld(sessionId),
  };
}
