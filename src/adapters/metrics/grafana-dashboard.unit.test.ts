import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';

const dashboardPath = new URL('../../../deploy/grafana/dashboards/zapledger.json', import.meta.url);

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  datasource?: { uid: string };
}

const promqlWords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges, grouping
 * clauses and function calls are taken out.
 */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !promqlWords.has(name!))
    .map(([, name]) => name!);
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { uid: string; panels: Panel[] };
  const queried = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('reads only metrics the gateway registers', async () => {
    const registered = new Set(await createPrometheusMetrics(silentLogger).seriesNames());
    const used = queried.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        metricNamesIn(target.expr).map((name) => ({ panel: panel.title, name })),
      ),
    );
    expect(used.length).toBeGreaterThan(queried.length);
    expect(used.filter(({ name }) => !registered.has(name))).toEqual([]);
  });

  it('charts every series the gateway names in API.md, and the process metrics', () => {
    const used = new Set(
      queried.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr))),
    );
    for (const name of [
      'zapledger_sessions',
      'zapledger_events_appended_total',
      'zapledger_projection_lag_events',
      'zapledger_outbox_pending',
      'zapledger_send_duration_seconds_bucket',
      'zapledger_ws_connections',
      'zapledger_webhook_deliveries_total',
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(used, name).toContain(name);
  });

  it('queries the provisioned Prometheus data source in every panel', () => {
    const provisioned = readFileSync(
      new URL('../../../deploy/grafana/provisioning/datasources/prometheus.yml', import.meta.url),
      'utf8',
    );
    const uid = /uid:\s*(\S+)/.exec(provisioned)?.[1];
    expect(uid).toBeDefined();
    for (const panel of queried) expect(panel.datasource?.uid, panel.title).toBe(uid);
  });

  it('finds metric names in PromQL, not functions, labels or grouping clauses', () =>
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{status_code=~"5.."}[5m]))) / on (route) foo_total',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'foo_total']));
});
