import type { FastifyInstance } from 'fastify';
import { unmatchedRoute, type PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';

/**
 * Times every answered request by its route's template (`/whatsapp/sessions/:id/status`), never by its URL, so
 * the series do not grow with sessions or chats; a request no route matched counts under one fixed route.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: PrometheusMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? unmatchedRoute;
    metrics.httpRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
