import { describe, expect, it } from 'vitest';
import { byteRange } from './byte-range.js';

describe('byte ranges', () => {
  it('reads first-last, open-ended and suffix ranges, clamped to the file', () => {
    expect(byteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=-10', 1000)).toEqual({ start: 990, end: 999 });
    expect(byteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });
  it('serves the whole file for no range, another unit, several ranges or a malformed one', () => {
    for (const header of [undefined, 'items=0-1', 'bytes=0-1,5-6', 'bytes=abc', 'bytes=-', 'bytes=5-2'])
      expect(byteRange(header, 1000), String(header)).toBeUndefined();
  });
  it('refuses a range that starts beyond the file', () => {
    expect(byteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});
