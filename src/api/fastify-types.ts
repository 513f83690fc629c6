import type { SessionRow } from '../projections/sessions/session-rows.js';
import type { Access, Claims } from './auth/claims.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (see auth/claims.ts). Routes without it are for ADMIN only. */
    access?: Access;
    /** The route parameter naming a session of the caller's company; loaded into `request.ownSession`. */
    sessionParam?: string;
    /** The input stands for what WhatsApp reports (the simulator): U+0000 is recorded escaped, not refused. */
    whatsAppContent?: boolean;
  }
  interface FastifyRequest {
    claims: Claims;
    ownSession: SessionRow;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    user: Claims;
  }
}
