import type { FastifyInstance } from 'fastify';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { SimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import type { SimulatorSettings } from '../adapters/whatsapp/simulator/simulator-settings.js';
import type { OutboxSenderOptions } from '../app/outbox-sender.js';
import type { SessionSupervisor } from '../app/session-supervisor.js';
import type { WebhookOutcome } from '../app/webhooks/webhook-lane.js';

export interface GatewayOptions {
  /** First token of bus subjects, instead of NATS_SUBJECT_PREFIX (tests use their own, to share a NATS server). */
  subjectRoot?: string;
  simulatorSettings?: Partial<SimulatorSettings>;
  outbox?: Partial<Pick<OutboxSenderOptions, 'retryInitialMs' | 'retryMaxMs' | 'ownerWaitMs' | 'echoWaitMs'>>;
  /** Folder of the built web console served at /console, instead of the package's `dist/console`. */
  consoleDir?: string;
  /** Told of each webhook delivery attempt's outcome (the metrics count them). */
  onWebhookOutcome?: (outcome: WebhookOutcome) => void;
}

export interface Gateway {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  supervisor: SessionSupervisor;
  simulator: SimulatorDriver | undefined;
  /** The process's metrics; other parts (the webhook worker) report through it. */
  metrics: PrometheusMetrics;
  /** The HS256 secret in use, when the gateway signs its own tokens (not with JWT_PUBLIC_KEY). */
  jwtSecret: string | undefined;
  jwtSecretCreated: boolean;
  stop(): Promise<void>;
}
