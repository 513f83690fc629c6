import { describe, expect, it } from 'vitest';
import { InvalidCheckpointError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint, isAfter, startOfHistory } from './postgres-checkpoint.js';

describe('postgres checkpoint', () => {
  it('round-trips a cursor through its string form', () => {
    const cursor = { transactionId: 9007199254740993n, position: 42n };
    expect(decodeCheckpoint(encodeCheckpoint(cursor))).toEqual(cursor);
  });

  it('starts at the beginning of history when there is no checkpoint', () => {
    expect(decodeCheckpoint(undefined)).toEqual(startOfHistory);
  });

  it.each(['', '12', 'a:b', '1:2:3', '-1:2', '1/2'])('rejects %j as not one of its checkpoints', (bad) => {
    expect(() => decodeCheckpoint(bad)).toThrow(InvalidCheckpointError);
  });

  it('orders by transaction first, then position', () => {
    expect(isAfter({ transactionId: 2n, position: 1n }, { transactionId: 1n, position: 9n })).toBe(true);
    expect(isAfter({ transactionId: 1n, position: 9n }, { transactionId: 2n, position: 1n })).toBe(false);
    expect(isAfter({ transactionId: 1n, position: 2n }, { transactionId: 1n, position: 1n })).toBe(true);
  });
});
