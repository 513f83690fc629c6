import type { Position } from '@eventstore/db-client';
import { InvalidCheckpointError } from '../errors.js';
import type { Checkpoint } from '../port.js';

const MAX_UINT64 = 2n ** 64n - 1n;
const CANONICAL = /^(0|[1-9][0-9]*)\/(0|[1-9][0-9]*)$/;

/** A `$all` position as a checkpoint: `"<commit>/<prepare>"`, both in decimal. */
export function encodeCheckpoint(position: Position): Checkpoint {
  return `${position.commit}/${position.prepare}`;
}

/**
 * The `$all` position a checkpoint stands for.
 * @throws InvalidCheckpointError unless the string is exactly what {@link encodeCheckpoint} produces.
 * @example decodeCheckpoint('1024/1024') // { commit: 1024n, prepare: 1024n }
 */
export function decodeCheckpoint(checkpoint: Checkpoint): Position {
  const match = CANONICAL.exec(checkpoint);
  if (!match) throw new InvalidCheckpointError(checkpoint);
  const commit = BigInt(match[1]!);
  const prepare = BigInt(match[2]!);
  if (commit > MAX_UINT64 || prepare > MAX_UINT64) throw new InvalidCheckpointError(checkpoint);
  return { commit, prepare };
}

export function isSamePosition(a: Position, b: Position): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}

/** Orders checkpoints by commit position, then prepare position, as `$all` is ordered. */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const [x, y] = [decodeCheckpoint(a), decodeCheckpoint(b)];
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  return x.prepare === y.prepare ? 0 : x.prepare < y.prepare ? -1 : 1;
}
