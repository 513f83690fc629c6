import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { connectionStatuses } from '../../domain/session/session-state.js';
import type { ApiDeps } from '../api-deps.js';
import { companySessions, liveStatus } from '../../projections/sessions/session-rows.js';
import { authErrors } from '../schemas/common.js';
import { statsReply } from '../schemas/whatsapp-schemas.js';

export const statsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/whatsapp/stats',
      {
        config: { access: 'read' },
        schema: {
          tags: ['whatsapp'],
          summary: 'Sessions of the caller’s company by status',
          response: { 200: statsReply, ...authErrors },
        },
      },
      async (request) => {
        const sessions = (await companySessions(deps.db, request.claims.companyId)).map((row) => ({
          id: row.Id,
          status: connectionStatuses[liveStatus(row)] ?? 'disconnected',
        }));
        const connected = sessions.filter((s) => s.status === 'connected').length;
        return { total: sessions.length, connected, disconnected: sessions.length - connected, sessions };
      },
    );
    return Promise.resolve();
  };
