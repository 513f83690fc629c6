/** Which sessions the simulated phones have linked: the simulator's "saved login", kept across restarts. */
export interface LoginStore {
  /** Brings the session's login up to date from where it is shared (another process may have linked it). */
  refresh?(sessionId: string): Promise<void>;
  has(sessionId: string): boolean;
  save(sessionId: string, waId: string): Promise<void>;
  waIdOf(sessionId: string): string | undefined;
  remove(sessionId: string): Promise<void>;
}

export function createMemoryLoginStore(): LoginStore {
  const logins = new Map<string, string>();
  return {
    has: (sessionId) => logins.has(sessionId),
    waIdOf: (sessionId) => logins.get(sessionId),
    save: (sessionId, waId) => Promise.resolve(void logins.set(sessionId, waId)),
    remove: (sessionId) => Promise.resolve(void logins.delete(sessionId)),
  };
}
