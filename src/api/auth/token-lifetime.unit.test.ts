import { createDecoder } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { lifetimeMs } from '../../lifetime.js';
import { signToken } from '../../sign-token.js';
import { UnauthorizedError } from '../http-errors.js';
import type { Claims } from './claims.js';
import { assertTokenLifetime } from './token-lifetime.js';

const maxMs = lifetimeMs('30d');
const now = Date.UTC(2026, 0, 1);
const seconds = now / 1000;
const claims = (extra: Partial<Claims>): Claims => ({ sub: 'u', companyId: 'acme', role: 'ADMIN', ...extra });
const decode = createDecoder();

describe('token lifetime', () => {
  it('refuses a token that never expires (no exp)', () => {
    expect(() => assertTokenLifetime(claims({}), maxMs, now)).toThrow(UnauthorizedError);
  });

  it('refuses a token issued to live longer than JWT_MAX_TTL (exp - iat)', () => {
    const token = claims({ iat: seconds - 10, exp: seconds - 10 + 31 * 86_400 });
    expect(() => assertTokenLifetime(token, maxMs, now)).toThrow(/JWT_MAX_TTL/);
  });

  it('refuses a token that expires further than JWT_MAX_TTL from now, whatever its iat says', () => {
    expect(() => assertTokenLifetime(claims({ exp: seconds + 31 * 86_400 }), maxMs, now)).toThrow(
      /JWT_MAX_TTL/,
    );
    const backdated = claims({ iat: seconds + 40 * 86_400, exp: seconds + 60 * 86_400 });
    expect(() => assertTokenLifetime(backdated, maxMs, now)).toThrow(/JWT_MAX_TTL/);
  });

  it("accepts the first start's 30-day token and the CLI's default one-hour token under the default maximum", () => {
    for (const ttl of ['30d', '1h']) {
      const token = decode(
        signToken('x'.repeat(40), { companyId: 'default', role: 'ADMIN', sub: 'a', ttl }),
      ) as Claims;
      expect(() => assertTokenLifetime(token, maxMs, Date.now())).not.toThrow();
    }
  });
});
