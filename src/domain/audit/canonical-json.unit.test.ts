import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units at every depth and writes no whitespace', () =>
    expect(canonicalJson({ b: [1, { z: 1, a: 2 }], a: { d: null, c: true }, é: 1, Z: 0 })).toBe(
      '{"Z":0,"a":{"c":true,"d":null},"b":[1,{"a":2,"z":1}],"é":1}',
    ));

  it('writes strings and numbers as JSON.stringify does', () =>
    expect(canonicalJson(['"\\\n\u0001😀', 1e21, 0.1, -0, 1.5e-7])).toBe(
      JSON.stringify(['"\\\n\u0001😀', 1e21, 0.1, -0, 1.5e-7]),
    ));

  it('gives what JSON.stringify then JSON.parse would store: undefined left out, toJSON honoured', () =>
    expect(canonicalJson({ gone: undefined, at: new Date(0), list: [undefined, NaN] })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","list":[null,null]}',
    ));

  it('is the same for a value read back from its own JSON', () => {
    const value = { metadata: { actor: { type: 'user', id: 'x' } }, n: 12.5, text: 'olá' };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});
