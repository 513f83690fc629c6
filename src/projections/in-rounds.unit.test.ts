import { describe, expect, it } from 'vitest';
import { inChunks, inRounds } from './in-rounds.js';

describe('inRounds', () => {
  const keyed = (item: string) => item.split('+');

  it('puts items with different keys in one round, in their order', () => {
    expect(inRounds(['a', 'b', 'c'], keyed)).toEqual([['a', 'b', 'c']]);
  });

  it('moves an item after every earlier item that shares one of its keys', () => {
    expect(inRounds(['a', 'b', 'a', 'c', 'a+c', 'b'], keyed)).toEqual([['a', 'b', 'c'], ['a', 'b'], ['a+c']]);
  });

  it('never lets a later item overtake an earlier one on the same key', () => {
    const items = ['x', 'y+x', 'y', 'z', 'x+z'];
    const rounds = inRounds(items, keyed);
    const roundOf = (item: string) => rounds.findIndex((round) => round.includes(item));
    expect(roundOf('y+x')).toBeGreaterThan(roundOf('x'));
    expect(roundOf('y')).toBeGreaterThan(roundOf('y+x'));
    expect(roundOf('x+z')).toBeGreaterThan(Math.max(roundOf('y+x'), roundOf('z')));
  });

  it('gives no rounds for no items', () => {
    expect(inRounds([], keyed)).toEqual([]);
  });
});

describe('inChunks', () => {
  it('slices in order, the last slice shorter', () => {
    expect(inChunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
