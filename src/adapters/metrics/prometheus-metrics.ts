import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import {
  sendSettlements,
  webhookDeliveryOutcomes,
  type GatewayMetrics,
  type SendSettlement,
  type WebhookDeliveryOutcome,
} from '../../app/gateway-metrics.js';
import type { Logger } from '../../logger.js';
import type { MetricSources } from './metric-sources.js';
import { scrapedGauges } from './scraped-gauges.js';

/** Route label of a request no route matched: the raw URL would let anyone add series at will. */
export const unmatchedRoute = 'unmatched';

export interface PrometheusMetrics extends GatewayMetrics {
  /** One request answered: `route` is the route's template (`/whatsapp/sessions/:id/status`), never the URL. */
  httpRequest(route: string, method: string, statusCode: number, seconds: number): void;
  /** Adds (or replaces) the sources the gauges read at scrape time. */
  watch(sources: Partial<MetricSources>): void;
  /** Every series, in the Prometheus text format. */
  scrape(): Promise<string>;
  /** The Content-Type of `scrape`'s text. */
  readonly contentType: string;
  /** Every series name a query may use (`…_bucket`, `…_sum`, `…_count` of histograms included). */
  seriesNames(): Promise<string[]>;
}

/**
 * The gateway's metrics in a registry of its own (not prom-client's global one), so that several gateways in
 * one process (tests) keep theirs apart; Node's process metrics included. No label takes its values from
 * companies, sessions or chats: each label has a short, fixed list of values.
 *
 * @example
 * const metrics = createPrometheusMetrics(logger);
 * metrics.eventsAppended(3);
 * reply.type(metrics.contentType).send(await metrics.scrape());
 */
export function createPrometheusMetrics(logger: Logger): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const eventsAppended = new Counter({
    name: 'zapledger_events_appended_total',
    help: 'Events stored by this process',
    registers,
  });
  const sendDuration = new Histogram({
    name: 'zapledger_send_duration_seconds',
    help: 'From a send request to its outcome (sent, or failed for good)',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const webhookDeliveries = new Counter({
    name: 'zapledger_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  // Every fixed label value starts at 0, so that rates over them exist before the first event.
  for (const outcome of webhookDeliveryOutcomes) webhookDeliveries.inc({ outcome }, 0);
  for (const outcome of sendSettlements) sendDuration.zero({ outcome });
  const gauges = scrapedGauges(registry, logger);

  return {
    eventsAppended: (count: number) => eventsAppended.inc(count),
    sendSettled: (outcome: SendSettlement, seconds: number) => sendDuration.observe({ outcome }, seconds),
    webhookDelivery: (outcome: WebhookDeliveryOutcome) => webhookDeliveries.inc({ outcome }),
    httpRequest: (route, method, statusCode, seconds) =>
      httpDuration.observe({ route, method, status_code: statusCode }, seconds),
    watch: (sources) => gauges.watch(sources),
    scrape: () => registry.metrics(),
    contentType: registry.contentType,
    async seriesNames() {
      const suffixes: Record<string, string[]> = {
        histogram: ['_bucket', '_sum', '_count'],
        summary: ['', '_sum', '_count'],
      };
      // prom-client's typings say an enum; at run time `type` is the exposition's word ('histogram' …).
      return (await registry.getMetricsAsJSON()).flatMap(({ name, type }) =>
        (suffixes[String(type)] ?? ['']).map((suffix) => name + suffix),
      );
    },
  };
}
