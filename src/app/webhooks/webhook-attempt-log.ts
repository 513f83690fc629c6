import type { ClaimedDelivery, DeliveryOutcome } from '../../adapters/db/webhooks/webhook-deliveries.js';
import type { Logger } from '../../logger.js';

/** Failed attempts are logged at info; delivered ones at debug, when the logger has it (pino). */
export type AttemptLogger = Logger & { debug?(details: object, message: string): void };

/** One line about one attempt, with the ids that let it be followed from the request to the receiver. */
export function logWebhookAttempt(
  logger: AttemptLogger,
  webhookId: string,
  delivery: ClaimedDelivery,
  outcome: DeliveryOutcome,
): void {
  const facts = {
    webhookId,
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    type: delivery.type,
    sessionId: delivery.sessionId,
    attempt: delivery.attempts + 1,
    outcome: outcome.kind,
    ...(delivery.correlationId ? { correlationId: delivery.correlationId } : {}),
    ...('statusCode' in outcome && outcome.statusCode !== null ? { statusCode: outcome.statusCode } : {}),
    ...('error' in outcome ? { error: outcome.error } : {}),
  };
  if (outcome.kind === 'delivered') logger.debug?.(facts, 'Webhook delivered');
  else
    logger.info(
      facts,
      outcome.kind === 'fail' ? 'Webhook delivery failed for good' : 'Webhook delivery failed; will retry',
    );
}
