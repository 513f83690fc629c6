import { Gauge, type Registry } from 'prom-client';
import { connectionStatuses } from '../../domain/session/session-state.js';
import type { Logger } from '../../logger.js';
import type { MetricSources } from './metric-sources.js';

/**
 * The gauges read at scrape time from the sources given so far (`watch`). A source that fails makes its gauge
 * unknown for that scrape (no series, or NaN without labels; never a stale or made-up value), and the other
 * series are still answered.
 */
export function scrapedGauges(registry: Registry, logger: Logger) {
  const sources: Partial<MetricSources> = {};

  function gauge<Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    read: (gauge: Gauge<Label>) => Promise<void> | void,
  ): void {
    new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          await read(this);
        } catch (error) {
          logger.warn({ err: error, metric: name }, 'Could not read a metric; it is unknown in this scrape');
          this.reset();
          // A gauge without labels always has a sample: NaN says "unknown" where 0 would be a made-up value.
          if (labelNames.length === 0) this.set(Number.NaN);
        }
      },
    });
  }

  gauge('zapledger_sessions', 'Sessions by status, across the cluster', ['status'], async (g) => {
    if (!sources.sessionsByStatus) return;
    const counts = await sources.sessionsByStatus();
    // Every status is answered, 0 included, so that a status that empties shows 0 rather than vanishing.
    for (const status of connectionStatuses) g.set({ status }, counts.get(status) ?? 0);
  });
  gauge(
    'zapledger_outbox_pending',
    'Outgoing messages requested and not yet sent or failed for good',
    [],
    async (g) => {
      if (sources.outboxPending) g.set(await sources.outboxPending());
    },
  );
  gauge(
    'zapledger_projection_lag_events',
    'Events a projection has not applied yet (counted up to a cap)',
    ['projection'],
    async (g) => {
      for (const { projection, lag } of (await sources.projectionLag?.()) ?? []) g.set({ projection }, lag);
    },
  );
  gauge('zapledger_spooled_facts', 'WhatsApp facts kept on local disk until the store is back', [], (g) => {
    if (sources.spooledFacts) g.set(sources.spooledFacts());
  });
  gauge(
    'zapledger_intake_in_flight',
    'WhatsApp facts this process is recording now; past SPOOL_BEHIND_FACTS it is behind WhatsApp',
    [],
    (g) => {
      if (sources.intakeInFlight) g.set(sources.intakeInFlight());
    },
  );
  gauge('zapledger_sessions_running_here', 'Sessions whose driver runs in this process', [], (g) => {
    if (sources.sessionsRunningHere) g.set(sources.sessionsRunningHere());
  });
  gauge('zapledger_ws_connections', 'WebSocket clients connected to this process', [], (g) => {
    if (sources.wsConnections) g.set(sources.wsConnections());
  });

  return {
    /** Adds (or replaces) sources: the API adds its WebSocket count once its hub exists. */
    watch(more: Partial<MetricSources>): void {
      Object.assign(sources, more);
    },
  };
}
