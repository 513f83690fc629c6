/** Leases on sessions: only the process holding a session's lease runs its driver. */
export interface SessionLeases {
  /** Takes or renews the lease when it is free, expired, or already ours; answers whether we hold it now. */
  acquire(sessionId: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Renews our leases and marks this process live for `ttlMs`, in one statement; answers the sessions whose lease
   * we no longer hold, and how the sessions are spread over the live processes.
   */
  renew(sessionIds: string[], owner: string, ttlMs: number): Promise<LeaseRenewal>;
  /** Marks this process live for `ttlMs` (at boot, before it holds anything); answers how many processes are live. */
  join(owner: string, ttlMs: number): Promise<number>;
  /** Of these sessions, those no live process holds. */
  unheld(sessionIds: string[]): Promise<string[]>;
  release(sessionId: string, owner: string): Promise<void>;
  /** Whether some process holds an unexpired lease on the session. */
  isHeld(sessionId: string): Promise<boolean>;
  /** Every process that holds a lease, expired or not. */
  owners(): Promise<string[]>;
  /** Drops every lease of these processes (known dead), and their membership. */
  releaseAllOf(owners: readonly string[]): Promise<void>;
}

export interface LeaseRenewal {
  lost: string[];
  /** Live gateway processes, this one included. */
  members: number;
  /** The fewest sessions a live process holds (0 for a process that just joined). */
  least: number;
  /** Another live process that holds that fewest, if any: where handed-over sessions should go. */
  leastOwner?: string;
}

export class SessionRunsElsewhereError extends Error {
  override readonly name = 'SessionRunsElsewhereError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is running on another gateway process`);
  }
}

/** Leases for a single process (tests, or when no shared database coordinates several processes). */
export function createLocalSessionLeases(): SessionLeases {
  const held = new Map<string, { owner: string; expiresAt: number }>();
  const mine = (sessionId: string, owner: string) => {
    const lease = held.get(sessionId);
    return !lease || lease.owner === owner || lease.expiresAt < Date.now();
  };
  return {
    acquire(sessionId, owner, ttlMs) {
      if (!mine(sessionId, owner)) return Promise.resolve(false);
      held.set(sessionId, { owner, expiresAt: Date.now() + ttlMs });
      return Promise.resolve(true);
    },
    renew(sessionIds, owner, ttlMs) {
      const lost = sessionIds.filter((id) => !mine(id, owner));
      for (const id of sessionIds)
        if (!lost.includes(id)) held.set(id, { owner, expiresAt: Date.now() + ttlMs });
      return Promise.resolve({ lost, members: 1, least: sessionIds.length - lost.length });
    },
    join: () => Promise.resolve(1),
    unheld: (sessionIds) =>
      Promise.resolve(sessionIds.filter((id) => (held.get(id)?.expiresAt ?? 0) <= Date.now())),
    release(sessionId, owner) {
      if (held.get(sessionId)?.owner === owner) held.delete(sessionId);
      return Promise.resolve();
    },
    isHeld: (sessionId) => Promise.resolve((held.get(sessionId)?.expiresAt ?? 0) > Date.now()),
    owners: () => Promise.resolve([...new Set([...held.values()].map((lease) => lease.owner))]),
    releaseAllOf(owners) {
      for (const [sessionId, lease] of held) if (owners.includes(lease.owner)) held.delete(sessionId);
      return Promise.resolve();
    },
  };
}
