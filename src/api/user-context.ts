import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../app/command-context.js';

/** The acting user and the request, as recorded in the metadata of every event the request causes. */
export function userContext(request: FastifyRequest, sessionId: string): CommandContext {
  return {
    companyId: request.claims.companyId,
    sessionId,
    actor: { type: 'user', id: request.claims.sub },
    correlationId: request.id || randomUUID(),
    causationId: null,
  };
}
