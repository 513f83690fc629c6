export interface RetrySchedule {
  /** Upper bound of the delay before the first retry. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/**
 * How long to wait before the next attempt, after `attempts` failed ones: exponential (doubling), capped, with
 * "equal jitter" (between half and all of the bound) so that receivers coming back are not hit by every
 * retry at once, and a retry never comes sooner than half the bound.
 *
 * @example
 * retryDelayMs(1, { initialMs: 4000, maxMs: 3_600_000 }); // 2000–4000
 */
export function retryDelayMs(attempts: number, schedule: RetrySchedule, random = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const bound = Math.min(schedule.maxMs, schedule.initialMs * 2 ** exponent);
  return Math.round(bound / 2 + (random() * bound) / 2);
}
