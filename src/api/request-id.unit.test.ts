import { describe, expect, it } from 'vitest';
import { maxRequestIdLength, requestIdFrom } from './request-id.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the id of a request', () => {
  it("keeps the client's X-Request-Id when it is short and safe", () => {
    expect(requestIdFrom('checkout-42.retry_1:a')).toBe('checkout-42.retry_1:a');
    expect(requestIdFrom('x'.repeat(maxRequestIdLength))).toBe('x'.repeat(maxRequestIdLength));
  });

  it('makes a new one when none is given', () => {
    expect(requestIdFrom(undefined)).toMatch(uuid);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });

  it('replaces, rather than cuts, one longer than the limit', () =>
    expect(requestIdFrom('x'.repeat(maxRequestIdLength + 1))).toMatch(uuid));

  it('replaces one with characters that could forge log lines or headers', () => {
    for (const unsafe of ['a\nb', 'a b', 'a"b', '<script>', 'a\u0000b', ''])
      expect(requestIdFrom(unsafe)).toMatch(uuid);
  });

  it('replaces one sent twice (an array of headers)', () => expect(requestIdFrom(['a', 'b'])).toMatch(uuid));
});
