import type { StoredEvent } from './event-log.js';

export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export const positionOf = (event: StoredEvent): LogPosition => ({
  commit: event.commitPosition,
  prepare: event.preparePosition,
});

/** Index of the first event at or after `position` (`inclusive`) or strictly after it, by binary search. */
export function indexFrom(all: readonly StoredEvent[], position: LogPosition, inclusive: boolean): number {
  let low = 0;
  let high = all.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = comparePositions(positionOf(all[middle]!), position);
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}
