import { describe, expect, it } from 'vitest';
import { InvalidCheckpointError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint, isSamePosition } from './checkpoint.js';

describe('eventstoredb checkpoint', () => {
  it('encodes a $all position as commit/prepare', () => {
    expect(encodeCheckpoint({ commit: 1024n, prepare: 980n })).toBe('1024/980');
  });

  it('decodes what it encodes, up to the largest 64-bit position', () => {
    const largest = { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n };
    expect(decodeCheckpoint(encodeCheckpoint(largest))).toEqual(largest);
    expect(decodeCheckpoint('0/0')).toEqual({ commit: 0n, prepare: 0n });
  });

  it.each([
    ['an empty string', ''],
    ['a single number', '1024'],
    ['a negative position', '-1/-1'],
    ['a position past 64 bits', `${2n ** 64n}/0`],
    ['leading zeros', '01/1'],
    ['spaces', ' 1/1'],
    ['another store’s checkpoint', '42'],
    ['three parts', '1/2/3'],
  ])('refuses %s', (_, checkpoint) => {
    expect(() => decodeCheckpoint(checkpoint)).toThrow(InvalidCheckpointError);
  });

  it('compares positions on both commit and prepare', () => {
    expect(isSamePosition({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 3n })).toBe(true);
    expect(isSamePosition({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 4n })).toBe(false);
  });
});
