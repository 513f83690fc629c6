import { createPublicKey } from 'node:crypto';

export interface JwtKeys {
  /** HS256 secret, or a PEM public key (RS256 / ES256). */
  secret: string | { public: string };
  algorithms: string[];
}

/** Which key and algorithms verify tokens; `none` is never accepted. */
export function jwtKeys(options: { secret?: string | undefined; publicKey?: string | undefined }): JwtKeys {
  if (options.publicKey) {
    const type = createPublicKey(options.publicKey).asymmetricKeyType;
    return { secret: { public: options.publicKey }, algorithms: type === 'ec' ? ['ES256'] : ['RS256'] };
  }
  if (!options.secret) throw new Error('A JWT secret or public key is required');
  return { secret: options.secret, algorithms: ['HS256'] };
}
