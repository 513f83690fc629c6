import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PrometheusMetrics } from '../../adapters/metrics/prometheus-metrics.js';
import { bearerToken } from '../auth/register-access-control.js';
import { UnauthorizedError } from '../http-errors.js';

/**
 * `GET /metrics` in the Prometheus text format: open when no token is configured, else only with
 * `Authorization: Bearer <token>` (not an API token: a scraper holds no user's identity).
 */
export const metricsRoutes =
  (metrics: PrometheusMetrics, token: string | undefined): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'Prometheus metrics (Bearer METRICS_TOKEN when it is set)',
          security: token ? [{ bearer: [] }] : [],
        },
      },
      async (request, reply) => {
        if (token !== undefined && !sameSecret(bearerToken(request), token))
          throw new UnauthorizedError('Token de métricas ausente ou inválido');
        return reply.type(metrics.contentType).send(await metrics.scrape());
      },
    );
    return Promise.resolve();
  };

/** Compares in constant time, whatever the lengths: both sides are hashed to the same size first. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
