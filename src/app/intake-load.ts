/**
 * How many of WhatsApp's facts this process is recording right now, so that background work (webhook deliveries,
 * the chunks of kept files) yields to them. A fact WhatsApp reported must be stored before anything else: WhatsApp
 * does not report it again, and while it waits it lives only in memory. Background work is durable where it waits
 * (deliveries in their queue, files at WhatsApp), so it is what gives way when the two cores are short.
 */
export interface IntakeLoad {
  /** Counts `work` as a fact being recorded until it settles; answers it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Facts being recorded now. */
  inFlight(): number;
  /**
   * Whether the process is behind WhatsApp: so many facts wait in memory that each arriving one is also written
   * to the local spool (SPOOL_BEHIND_FACTS), to survive a crash while it waits.
   */
  behind(): boolean;
  /**
   * Resolves once at most `busyAbove` facts are being recorded, or after `maxWaitMs` whatever the load, so that
   * background work slows under load but never stops.
   */
  yieldTo(busyAbove: number, maxWaitMs: number): Promise<void>;
}

/** A gauge for one process, behind from `behindAt` facts in flight (default: never). */
export function createIntakeLoad(options: { behindAt?: number } = {}): IntakeLoad {
  const behindAt = options.behindAt || Infinity;
  let inFlight = 0;
  const waiters = new Set<{ busyAbove: number; resolve: () => void; timer: NodeJS.Timeout }>();

  function release(): void {
    for (const waiter of waiters) {
      if (inFlight > waiter.busyAbove) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  return {
    track(work) {
      inFlight++;
      return work.finally(() => {
        inFlight--;
        if (waiters.size > 0) release();
      });
    },
    inFlight: () => inFlight,
    behind: () => inFlight >= behindAt,
    yieldTo(busyAbove, maxWaitMs) {
      if (inFlight <= busyAbove) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter = {
          busyAbove,
          resolve,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            resolve();
          }, maxWaitMs),
        };
        waiters.add(waiter);
      });
    },
  };
}

/** No intake counted: background work never waits (a process that records no facts, and tests). */
export const idleIntake: IntakeLoad = {
  track: (work) => work,
  inFlight: () => 0,
  behind: () => false,
  yieldTo: () => Promise.resolve(),
};
