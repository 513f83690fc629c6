/**
 * Where the gauges read their values when the metrics are scraped: each is one cheap query or one look at
 * memory, so that a scrape costs the same whatever the traffic.
 */
export interface MetricSources {
  /** Sessions by the status the API answers (`connected`, `qr` …), across the cluster. */
  sessionsByStatus(): Promise<ReadonlyMap<string, number>>;
  /** Outgoing messages requested but neither sent nor failed for good, across the cluster. */
  outboxPending(): Promise<number>;
  /** Events each projection has not applied yet, by projection name. */
  projectionLag(): Promise<readonly { projection: string; lag: number }[]>;
  /** WhatsApp facts this process keeps on disk until the store takes them. */
  spooledFacts(): number;
  /** WhatsApp facts this process is recording right now (intake-load.ts). */
  intakeInFlight(): number;
  /** Sessions whose driver runs in this process. */
  sessionsRunningHere(): number;
  /** WebSocket clients connected to this process. */
  wsConnections(): number;
}
