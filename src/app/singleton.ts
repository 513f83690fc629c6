import type { Logger } from '../logger.js';

export interface SingletonLeases {
  /** Takes or renews the lease when it is free, expired or already ours; answers whether we hold it now. */
  hold(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface SingletonOptions {
  name: string;
  owner: string;
  leases: SingletonLeases;
  /** Starts the work; called when this process takes the lease. */
  start(): Promise<void>;
  /** Stops the work; called when this process lost the lease or stops. */
  stop(): Promise<void>;
  logger: Logger;
  /** How long a lease lasts without renewal: a dead holder's work is taken over after this. Default 10 s. */
  ttlMs?: number;
}

/**
 * Runs work in one process of the cluster at a time: whoever holds the named lease runs it and renews the
 * lease every third of its lifetime; the others try to take it as often, so the work moves within about one
 * lease lifetime when its process dies. A database error counts as losing the lease: the work stops rather
 * than risk running twice.
 */
export function runAsSingleton(options: SingletonOptions) {
  const { name, owner, leases, logger } = options;
  const ttlMs = options.ttlMs ?? 10_000;
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  async function check(): Promise<void> {
    if (stopped) return;
    const held = await leases.hold(name, owner, ttlMs).catch((error: unknown) => {
      logger.warn({ err: error, singleton: name }, 'Could not renew a singleton lease');
      return false;
    });
    if (held && !running && !stopped) {
      running = true;
      logger.info({ singleton: name }, 'This process now runs the singleton');
      try {
        await options.start();
      } catch (error) {
        // Holding the lease without doing the work would keep every other process from doing it.
        running = false;
        logger.error({ err: error, singleton: name }, 'The singleton did not start; letting the lease go');
        await leases.release(name, owner).catch(() => undefined);
      }
    } else if (!held && running) {
      running = false;
      logger.warn({ singleton: name }, 'Another process took the singleton over; stopping it here');
      await options.stop();
    }
  }

  const nextTurn = () => {
    turn = turn
      .then(check)
      .catch((error: unknown) => logger.error({ err: error, singleton: name }, 'Singleton check failed'));
    return turn;
  };

  return {
    /** Takes the lease now if it is free, then keeps trying and renewing. */
    async begin(): Promise<void> {
      await nextTurn();
      timer = setInterval(() => void nextTurn(), ttlMs / 3);
      timer.unref();
    },
    isRunning: () => running,
    async end(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await turn;
      if (running) {
        running = false;
        await options.stop();
      }
      await leases.release(name, owner).catch(() => undefined);
    },
  };
}
