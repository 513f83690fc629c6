import { createSigner } from 'fast-jwt';
import type { Role } from './api/auth/claims.js';
import { lifetimeMs } from './lifetime.js';

export interface TokenRequest {
  companyId: string;
  role: Role;
  sub: string;
  /** Lifetime, e.g. `1h`, `30m`, `7d`; at most JWT_MAX_TTL for the gateway to accept the token. */
  ttl: string;
}

/** An HS256 API token, for local use and tests; it always carries `iat` and `exp`. */
export function signToken(secret: string, request: TokenRequest): string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: lifetimeMs(request.ttl) });
  return sign({ sub: request.sub, companyId: request.companyId, role: request.role });
}
