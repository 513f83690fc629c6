import type { FastifyRequest } from 'fastify';

type Verified = { payload: unknown } | { error: unknown };

const verifications = new WeakMap<FastifyRequest, Verified>();

/**
 * Verifies a request's token at most once, whoever asks first (the rate limit's key, then access control):
 * a signature check costs more than the rest of a read.
 * @throws the verifier's error when the token is not valid.
 */
export function verifyTokenOnce(request: FastifyRequest, token: string): unknown {
  let verified = verifications.get(request);
  if (!verified) {
    try {
      verified = { payload: request.server.jwt.verify(token) };
    } catch (error) {
      verified = { error };
    }
    verifications.set(request, verified);
  }
  if ('error' in verified) throw verified.error;
  return verified.payload;
}
