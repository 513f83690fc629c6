import { describe, expect, it } from 'vitest';
import { replaceNulCharacters } from './nul-characters.js';

describe('replaceNulCharacters', () => {
  it('replaces U+0000 with U+FFFD in every string, nested ones and keys included', () => {
    expect(
      replaceNulCharacters({
        body: 'a\u0000b',
        media: { caption: '\u0000' },
        list: ['x\u0000'],
        'k\u0000': 1,
      }),
    ).toEqual({ body: 'a\uFFFDb', media: { caption: '\uFFFD' }, list: ['x\uFFFD'], 'k\uFFFD': 1 });
  });

  it('keeps dates, numbers, booleans and null as they are', () => {
    const at = new Date(0);
    const replaced = replaceNulCharacters({ at, n: 1, yes: true, none: null });
    expect(replaced.at).toBe(at);
    expect(replaced).toEqual({ at, n: 1, yes: true, none: null });
  });
});
