import type { ClaimedDelivery, DeliveryOutcome } from '../../adapters/db/webhooks/webhook-deliveries.js';
import { retryDelayMs, type RetrySchedule } from '../../domain/webhooks/retry-delay.js';
import { signWebhook } from '../../domain/webhooks/webhook-signature.js';

/** Sends one signed request and answers the receiver's status code (throws when there is no answer). */
export type PostWebhook = (url: URL, headers: Record<string, string>, body: string) => Promise<number>;

export interface AttemptDeps {
  post: PostWebhook;
  retry: RetrySchedule;
  /** The frame data as the receiver gets it (e.g. a QR code drawn as an image). */
  renderData: (type: string, data: unknown) => Promise<unknown>;
  /** Errors that no retry can fix (the host now resolves to a private address): the delivery fails for good. */
  isFinal: (error: unknown) => boolean;
  /** Waits while this process is short of time for WhatsApp's facts (intake-load.ts); deliveries can wait. */
  yieldToIntake?: () => Promise<void>;
}

/**
 * One attempt at a delivery, per Standard Webhooks: the body `{ id, type, companyId, sessionId, occurredAt, data }`
 * signed with the webhook's key, `webhook-id` the event id (the same on every attempt), `webhook-timestamp` the
 * time of this attempt. A 2xx is delivered; anything else (no answer included) is retried later.
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  target: { url: URL; key: Buffer },
  delivery: ClaimedDelivery,
): Promise<DeliveryOutcome> {
  const failedAttempts = delivery.attempts + 1;
  await deps.yieldToIntake?.();
  try {
    const body = JSON.stringify({
      id: delivery.eventId,
      type: delivery.type,
      companyId: delivery.companyId,
      sessionId: delivery.sessionId,
      occurredAt: delivery.occurredAt.toISOString(),
      data: await deps.renderData(delivery.type, delivery.data),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(target.key, delivery.eventId, timestamp, body),
      'user-agent': 'zapledger-webhooks/1',
    };
    const statusCode = await deps.post(target.url, headers, body);
    if (statusCode >= 200 && statusCode < 300) return { id: delivery.id, kind: 'delivered', statusCode };
    const error =
      statusCode >= 300 && statusCode < 400
        ? `HTTP ${statusCode} (redirects are not followed)`
        : `HTTP ${statusCode}`;
    return {
      id: delivery.id,
      kind: 'retry',
      statusCode,
      error,
      delayMs: retryDelayMs(failedAttempts, deps.retry),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (deps.isFinal(error)) return { id: delivery.id, kind: 'fail', statusCode: null, error: message };
    return {
      id: delivery.id,
      kind: 'retry',
      statusCode: null,
      error: message,
      delayMs: retryDelayMs(failedAttempts, deps.retry),
    };
  }
}
