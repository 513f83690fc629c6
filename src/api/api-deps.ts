import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { Bus } from '../adapters/bus/port.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { EventStore } from '../adapters/event-store/port.js';
import type { SimulatorControls } from '../adapters/whatsapp/simulator/simulator-driver.js';
import type { CommandHandler } from '../app/command-handler.js';
import type { MediaStore } from '../app/media-store.js';
import type { NumberCheck } from '../app/number-check.js';
import type { MediaBlobStore } from '../app/media-blob-store.js';
import type { SessionDriverCalls } from '../app/session-driver-calls.js';
import type { MessageSending } from '../app/send-message.js';
import type { SessionSupervisor } from '../app/session-supervisor.js';
import type { Config } from '../config.js';
import type { ProcessLogger } from '../logger.js';
import type { ProjectionHealth } from '../projections/projection-runner.js';
import type { JwtKeys } from './auth/jwt-verifier.js';
import type { PreparedQuery } from '../projections/messages/chat-messages.js';
import type { WebhookServices } from './routes/webhooks-routes.js';
import type { PrivacyServices } from './routes/privacy-routes.js';

/** What the HTTP and WebSocket API works with; wired in main.ts. */
export interface ApiDeps {
  db: Kysely<ReadModelSchema>;
  /** Named, prepared statements for the hot reads (Database.prepared). */
  prepared: PreparedQuery;
  /** WhatsApp facts waiting in the local spool for the store to be back. */
  spooledFacts?: () => number;
  store: EventStore;
  handle: CommandHandler;
  supervisor: SessionSupervisor;
  bus: Bus;
  /** Present when WA_DRIVER=simulator: enables the /simulator routes. */
  simulator?: SimulatorControls | undefined;
  projections: { health(): Promise<ProjectionHealth[]> };
  sendMessage: MessageSending;
  media: MediaStore;
  /** Incoming files, kept by content per company. */
  blobs: MediaBlobStore;
  /** Number checks, remembered briefly (NUMBER_CHECK_TTL_MS). */
  numberCheck: NumberCheck;
  /** Calls on a session's WhatsApp connection made on the process that runs it (read receipts). */
  driverCalls: SessionDriverCalls;
  jwt: JwtKeys;
  config: Pick<
    Config,
    | 'CORS_ORIGINS'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'BODY_LIMIT_BYTES'
    | 'LOG_LEVEL'
    | 'MEDIA_MAX_BYTES'
    | 'MEDIA_URL_ALLOW_PRIVATE'
    | 'JWT_MAX_TTL'
    | 'METRICS_TOKEN'
    | 'EVENT_STORE'
    | 'EVENTSTORE_URL'
  >;
  /** The process logger (pino); request logs carry the request id. */
  logger: ProcessLogger;
  /** The gateway's metrics: times each request, and answers `GET /metrics`. Absent: no metrics route. */
  metrics?: PrometheusMetrics;
  /** Folder of the built web console served at /console (default: the package's `dist/console`). */
  consoleDir?: string;
  /** Present when the gateway sends webhooks: enables the /webhooks routes. */
  webhooks?: WebhookServices;
  /** Subject pattern the WebSocket fan-out listens to (default `wa.>`). */
  busPattern?: string;
  /** Present when contacts can be exported and erased: enables the /privacy routes. */
  privacy?: PrivacyServices;
}
