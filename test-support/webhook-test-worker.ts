import type { SecretBox } from '../src/adapters/db/webhooks/secret-box.js';
import type { WebhookDeliveries } from '../src/adapters/db/webhooks/webhook-deliveries.js';
import type { WebhookFanOut } from '../src/adapters/db/webhooks/webhook-fan-out.js';
import { createWebhookPoster } from '../src/api/webhook-post.js';
import type { WebhookOutcome } from '../src/app/webhooks/webhook-lane.js';
import { createWebhookWorker, type WebhookWorker } from '../src/app/webhooks/webhook-worker.js';
import { silentLogger } from '../src/logger.js';

/**
 * A webhook worker as a gateway process runs one, with short timings for tests: its lanes claim from `queue` as
 * `owner`; with `fanOut`, it also takes that fan-out's first attempts (sent from memory).
 */
export function createTestWebhookWorker(options: {
  owner: string;
  queue: WebhookDeliveries;
  enabledWebhooks: () => Promise<{ id: string; companyId: string }[]>;
  box: SecretBox;
  fanOut?: WebhookFanOut;
  onOutcome?: (outcome: WebhookOutcome) => void;
}): WebhookWorker {
  const { fanOut, box } = options;
  const worker = createWebhookWorker({
    enabledWebhooks: options.enabledWebhooks,
    openAttempt: () => {
      const poster = createWebhookPoster({ timeoutMs: 1000, publicOnly: false, maxSockets: 4 });
      return {
        attempt: {
          post: (url, headers, body) => poster.post(url, headers, body),
          retry: { initialMs: 100, maxMs: 200 },
          renderData: (_type, data) => Promise.resolve(data),
          isFinal: () => false,
        },
        close: () => poster.close(),
      };
    },
    refreshMs: 200,
    deliveries: options.queue,
    ...(fanOut
      ? {
          firstAttempts: {
            owner: fanOut.firstAttempts.owner,
            maxHeld: 1000,
            openSecret: (ciphertext: string) => box.open(ciphertext),
          },
        }
      : {}),
    settings: { owner: options.owner, batchSize: 50, concurrency: 4, leaseMs: 5000, pollMs: 50 },
    logger: silentLogger,
    onOutcome: options.onOutcome ?? (() => undefined),
  });
  fanOut?.firstAttempts.take((committed) => worker.handOver(committed));
  return worker;
}
