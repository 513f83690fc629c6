import { describe, expect, it } from 'vitest';
import { shortDuration } from './time.js';

describe('a short duration', () => {
  it('reads in the largest whole unit', () => {
    expect([0, 59_999, 60_000, 3_599_999, 3_600_000, 86_400_000, -5].map(shortDuration)).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '59 min',
      '1 h',
      '1 d',
      '0 s',
    ]);
  });
});
