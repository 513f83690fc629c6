import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';

export const healthRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    const tags = ['health'];
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The process is up',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      () => Promise.resolve({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary:
            'Database, event store, bus and projections are usable (constant cost, whatever the fleet)',
        },
      },
      async (_request, reply) => {
        const check = async (work: () => Promise<unknown>) => {
          try {
            const result = await work();
            return result === false ? 'down' : 'up';
          } catch {
            return 'down';
          }
        };
        const [database, eventStore, bus] = await Promise.all([
          check(() => sql`select 1`.execute(deps.db)),
          check(() => deps.store.headCheckpoint([])),
          check(() => deps.bus.ping()),
        ]);
        const projections = await deps.projections.health().catch(() => []);
        // A projection that stopped makes clients read stale data; one a few events behind is catching up.
        const lagging = projections.filter((p) => p.state === 'failed' || p.state === 'stopped');
        const ready =
          database === 'up' &&
          eventStore === 'up' &&
          bus === 'up' &&
          projections.length > 0 &&
          lagging.length === 0;
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not ready',
          checks: { database, eventStore, bus },
          spooledFacts: deps.spooledFacts?.() ?? 0,
          projections: projections.map((p) => ({
            name: p.name,
            state: p.state,
            caughtUp: p.caughtUp,
            lastError: p.lastError,
          })),
        });
      },
    );
    return Promise.resolve();
  };
