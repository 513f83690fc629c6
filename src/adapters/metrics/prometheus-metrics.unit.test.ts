import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';

/** The value of one sample line (`name{labels} value`) of a scrape, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics', () => {
  it('counts appended events, settled sends, webhook deliveries and requests', async () => {
    const metrics = createPrometheusMetrics(silentLogger);
    metrics.eventsAppended(3);
    metrics.eventsAppended(2);
    metrics.sendSettled('sent', 0.3);
    metrics.webhookDelivery('retried');
    metrics.httpRequest('/whatsapp/sessions/:id/status', 'GET', 200, 0.02);
    const text = await metrics.scrape();
    expect(sample(text, 'zapledger_events_appended_total')).toBe(5);
    expect(sample(text, 'zapledger_send_duration_seconds_count{outcome="sent"}')).toBe(1);
    expect(sample(text, 'zapledger_send_duration_seconds_bucket{le="0.5",outcome="sent"}')).toBe(1);
    expect(sample(text, 'zapledger_webhook_deliveries_total{outcome="retried"}')).toBe(1);
    expect(sample(text, 'zapledger_webhook_deliveries_total{outcome="failed"}')).toBe(0);
    expect(
      sample(
        text,
        'http_request_duration_seconds_count{route="/whatsapp/sessions/:id/status",method="GET",status_code="200"}',
      ),
    ).toBe(1);
  });

  it('reads the gauges from their sources at scrape time, every session status included', async () => {
    const metrics = createPrometheusMetrics(silentLogger);
    let pending = 4;
    metrics.watch({
      sessionsByStatus: () => Promise.resolve(new Map([['connected', 2]])),
      outboxPending: () => Promise.resolve(pending),
      projectionLag: () => Promise.resolve([{ projection: 'messages', lag: 7 }]),
      spooledFacts: () => 1,
      intakeInFlight: () => 5,
      sessionsRunningHere: () => 2,
      wsConnections: () => 3,
    });
    let text = await metrics.scrape();
    expect(sample(text, 'zapledger_sessions{status="connected"}')).toBe(2);
    expect(sample(text, 'zapledger_sessions{status="qr"}')).toBe(0);
    expect(sample(text, 'zapledger_outbox_pending')).toBe(4);
    expect(sample(text, 'zapledger_projection_lag_events{projection="messages"}')).toBe(7);
    expect(sample(text, 'zapledger_spooled_facts')).toBe(1);
    expect(sample(text, 'zapledger_intake_in_flight')).toBe(5);
    expect(sample(text, 'zapledger_sessions_running_here')).toBe(2);
    expect(sample(text, 'zapledger_ws_connections')).toBe(3);
    pending = 0;
    text = await metrics.scrape();
    expect(sample(text, 'zapledger_outbox_pending')).toBe(0);
  });

  it('answers a gauge whose source fails as unknown, and still answers the others', async () => {
    const metrics = createPrometheusMetrics(silentLogger);
    const down = () => Promise.reject(new Error('database down'));
    metrics.watch({ outboxPending: down, sessionsByStatus: down, wsConnections: () => 3 });
    const text = await metrics.scrape();
    expect(sample(text, 'zapledger_outbox_pending')).toBeNaN();
    expect(text).not.toMatch(/^zapledger_sessions\{/m);
    expect(sample(text, 'zapledger_ws_connections')).toBe(3);
  });

  it("keeps each instance's series apart (a registry each, not the global one)", async () => {
    const first = createPrometheusMetrics(silentLogger);
    const second = createPrometheusMetrics(silentLogger);
    first.eventsAppended(10);
    expect(sample(await second.scrape(), 'zapledger_events_appended_total')).toBe(0);
    expect(sample(await first.scrape(), 'zapledger_events_appended_total')).toBe(10);
  });

  it("includes Node's process metrics", async () => {
    const text = await createPrometheusMetrics(silentLogger).scrape();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});
