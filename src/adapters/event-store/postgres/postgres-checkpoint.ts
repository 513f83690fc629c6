import { InvalidCheckpointError } from '../errors.js';

/** Where a PostgreSQL reader stands: after every event ordered before (transaction id, position). */
export interface PostgresCursor {
  transactionId: bigint;
  position: bigint;
}

export const startOfHistory: PostgresCursor = { transactionId: 0n, position: 0n };

export function encodeCheckpoint(cursor: PostgresCursor): string {
  return `${cursor.transactionId}:${cursor.position}`;
}

export function decodeCheckpoint(checkpoint: string | undefined): PostgresCursor {
  if (checkpoint === undefined) return startOfHistory;
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(checkpoint);
  if (!match) throw new InvalidCheckpointError(checkpoint);
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) };
}

export function isAfter(a: PostgresCursor, b: PostgresCursor): boolean {
  return (
    a.transactionId > b.transactionId || (a.transactionId === b.transactionId && a.position > b.position)
  );
}

export function compareCheckpoints(a: string, b: string): number {
  const [x, y] = [decodeCheckpoint(a), decodeCheckpoint(b)];
  return isAfter(x, y) ? 1 : isAfter(y, x) ? -1 : 0;
}
