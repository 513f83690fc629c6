import type { DeliveryOutcome, WebhookDeliveries } from '../../adapters/db/webhooks/webhook-deliveries.js';
import type { Logger } from '../../logger.js';
import type { WebhookOutcome } from './webhook-lane.js';

export type RecordedStatuses = Awaited<ReturnType<WebhookDeliveries['record']>>;

export interface RecordOutcomesDeps {
  deliveries: Pick<WebhookDeliveries, 'record'>;
  logger: Logger;
  onOutcome: (outcome: WebhookOutcome) => void;
}

/**
 * Records the outcomes of an owner's claims, trying again while the database is out of reach (`wait` between
 * tries), and tells `onOutcome` of each attempt recorded (releases are not attempts). A process that is stopping
 * gives up after three tries: its claims expire and the deliveries are sent again (at least once). Answers the
 * statuses recorded, or undefined when it gave up.
 */
export async function recordOutcomesUntilStored(
  deps: RecordOutcomesDeps,
  claims: { webhookId: string; owner: string; outcomes: readonly DeliveryOutcome[] },
  retry: { stopping: () => boolean; wait: (tries: number) => Promise<void> },
): Promise<RecordedStatuses | undefined> {
  const { webhookId, owner, outcomes } = claims;
  for (let tries = 1; ; tries++) {
    try {
      const statuses = await deps.deliveries.record(webhookId, outcomes, owner);
      const kinds = new Map(outcomes.map((outcome) => [outcome.id, outcome.kind]));
      for (const { id, status } of statuses) {
        if (kinds.get(id) === 'release') continue;
        deps.onOutcome(status === 'delivered' ? 'delivered' : status === 'failed' ? 'failed' : 'retried');
      }
      return statuses;
    } catch (error) {
      deps.logger.warn({ err: error, webhookId }, 'Could not record webhook outcomes; trying again');
      if (retry.stopping() && tries >= 3) return undefined;
      await retry.wait(tries);
    }
  }
}
