/** What became of one webhook delivery attempt: accepted (2xx), to be tried again, or given up for good. */
export const webhookDeliveryOutcomes = ['delivered', 'retried', 'failed'] as const;
export type WebhookDeliveryOutcome = (typeof webhookDeliveryOutcomes)[number];

/** How a requested send ended. */
export const sendSettlements = ['sent', 'failed'] as const;
export type SendSettlement = (typeof sendSettlements)[number];

/** What the webhook worker reports, one call per delivery attempt. */
export interface WebhookDeliveryMetrics {
  webhookDelivery(outcome: WebhookDeliveryOutcome): void;
}

/**
 * What the gateway's parts count as they work. Each call only moves a number in memory, so the hot path can
 * afford it; gauges that need the database are read when the metrics are scraped, not here.
 */
export interface GatewayMetrics extends WebhookDeliveryMetrics {
  /** Events this process stored (duplicates of stored ids are not counted). */
  eventsAppended(count: number): void;
  /** A send settled, `seconds` after it was requested. */
  sendSettled(outcome: SendSettlement, seconds: number): void;
}

/** Counts nothing: for parts built without metrics (tools, tests). */
export const noMetrics: GatewayMetrics = {
  eventsAppended: () => undefined,
  sendSettled: () => undefined,
  webhookDelivery: () => undefined,
};
