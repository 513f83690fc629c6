import { createSigner } from 'fast-jwt';
import type { Role } from './api/auth/claims.js';

export interface TokenRequest {
  companyId: string;
  role: Role;
  sub: string;
  /** Lifetime, e.g. `1h`, `30m`, `7d`. */
  ttl: string;
}

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class InvalidTtlError extends Error {
  override readonly name = 'InvalidTtlError';

  constructor(readonly ttl: string) {
    super(`${JSON.stringify(ttl)} is not a lifetime: use a number followed by s, m, h or d (e.g. 1h)`);
  }
}

/** An HS256 API token, for local use and tests. */
export function signToken(secret: string, request: TokenRequest): string {
  const match = /^(\d+)([smhd])$/.exec(request.ttl);
  if (!match) throw new InvalidTtlError(request.ttl);
  const expiresIn = Number(match[1]) * units[match[2]!]!;
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn });
  return sign({ sub: request.sub, companyId: request.companyId, role: request.role });
}
