import { UnauthorizedError } from '../http-errors.js';
import type { Claims } from './claims.js';

/**
 * Refuses a token that never expires or lives longer than `maxMs` (JWT_MAX_TTL): a leaked token is then good
 * for a bounded time at most. The lifetime is `exp - iat` when the token says when it was issued, and in any
 * case `exp` may be no further than `maxMs` from now.
 */
export function assertTokenLifetime(claims: Claims & { iat?: unknown }, maxMs: number, nowMs: number): void {
  if (claims.exp === undefined)
    throw new UnauthorizedError('Token sem validade (exp): emita um com validade');
  const maxSeconds = maxMs / 1000;
  const lifetime = typeof claims.iat === 'number' ? claims.exp - claims.iat : 0;
  if (lifetime > maxSeconds || claims.exp - nowMs / 1000 > maxSeconds)
    throw new UnauthorizedError('Token com validade longa demais (acima de JWT_MAX_TTL)');
}
