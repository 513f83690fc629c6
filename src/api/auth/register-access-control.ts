import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../http-errors.js';
import { sessionRows } from '../../projections/sessions/session-rows.js';
import { allowedRoles, claimsSchema, type Claims } from './claims.js';
import type { JwtKeys } from './jwt-verifier.js';
import { assertTokenLifetime } from './token-lifetime.js';
import { verifyTokenOnce } from './verify-once.js';

/**
 * Authentication, roles and tenancy in one place, for every route: a route states its `access` (and the
 * parameter naming its session), these hooks enforce it. Order of answers: 401, 403, then 400 (validation),
 * then 404 for a session that does not exist or belongs to another company — the two look the same.
 */
export async function registerAccessControl(
  app: FastifyInstance,
  keys: JwtKeys,
  db: Kysely<ReadModelSchema>,
  options: { maxTokenLifetimeMs: number },
): Promise<void> {
  await app.register(fastifyJwt, {
    secret: keys.secret,
    verify: { algorithms: keys.algorithms as never },
  });

  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config.access ?? 'audit';
    if (access === 'public' || request.routeOptions.url === undefined) return done();
    try {
      request.claims = verifiedClaims(request, options.maxTokenLifetimeMs);
    } catch (error) {
      return done(error as Error);
    }
    done(allowedRoles[access].includes(request.claims.role) ? undefined : new ForbiddenError());
  });

  app.addHook('preHandler', async (request) => {
    const param = request.routeOptions.config.sessionParam;
    if (!param) return;
    const sessionId = (request.params as Record<string, string>)[param]!;
    const session = await sessionRows(db)
      .where('Id', '=', sessionId)
      .where('Company_Id', '=', request.claims.companyId)
      .where('Deleted_At', 'is', null)
      .executeTakeFirst();
    if (!session) throw new NotFoundError();
    request.ownSession = session;
  });
}

/**
 * A token from the Authorization header, or — for WebSocket upgrades — the `token` query or the subprotocol;
 * it must expire, within `maxLifetimeMs`.
 */
export function verifiedClaims(request: FastifyRequest, maxLifetimeMs: number): Claims {
  const token = bearerToken(request);
  if (!token) throw new UnauthorizedError();
  let payload: unknown;
  try {
    payload = verifyTokenOnce(request, token);
  } catch {
    throw new UnauthorizedError('Token inválido ou expirado');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success)
    throw new UnauthorizedError('Token sem as informações exigidas (sub, companyId, role)');
  assertTokenLifetime(claims.data, maxLifetimeMs, Date.now());
  return claims.data;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  if (!request.url.startsWith('/ws/')) return undefined;
  const query = request.query as Record<string, unknown>;
  if (typeof query.token === 'string') return query.token;
  const protocols = request.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim());
  return protocols?.[0]?.toLowerCase() === 'bearer' ? protocols[1] : undefined;
}
