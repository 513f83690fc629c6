/** Leases on sessions: only the process holding a session's lease runs its driver. */
export interface SessionLeases {
  /** Takes or renews the lease when it is free, expired, or already ours; answers whether we hold it now. */
  acquire(sessionId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Renews our leases; answers the sessions whose lease we no longer hold. */
  renew(sessionIds: string[], owner: string, ttlMs: number): Promise<string[]>;
  release(sessionId: string, owner: string): Promise<void>;
  /** Whether some process holds an unexpired lease on the session. */
  isHeld(sessionId: string): Promise<boolean>;
  /** Every process that holds a lease, expired or not. */
  owners(): Promise<string[]>;
  /** Drops every lease of these processes (known dead). */
  releaseAllOf(owners: readonly string[]): Promise<void>;
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
      return Promise.resolve(lost);
    },
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
