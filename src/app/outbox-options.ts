import type { Bus } from '../adapters/bus/port.js';
import type { EventStore } from '../adapters/event-store/port.js';
import type { DriverSession } from '../adapters/whatsapp/port.js';
import type { Logger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { MediaStore } from './media-store.js';
import type { createSendPacing } from './send-pacing.js';

export interface OutboxSenderOptions {
  bus: Bus;
  subjectRoot: string;
  store: EventStore;
  handle: CommandHandler;
  /** Whether another live gateway process runs the session. */
  runsElsewhere(sessionId: string): Promise<boolean>;
  /** The running driver of a session in this process, if this process owns it. */
  driverSession(sessionId: string): DriverSession | undefined;
  pacing: ReturnType<typeof createSendPacing>;
  media: MediaStore;
  logger: Logger;
  maxAttempts?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How long one call to WhatsApp may take before its outcome counts as unknown (settled by its echo). */
  sendTimeoutMs?: number;
  /** How long an attempt whose outcome is unknown waits for its echo before it fails for good. */
  echoWaitMs?: number;
  /** How long a request waits for a process that owns its session before it fails as "not connected". */
  ownerWaitMs?: number;
  /** Times each send from its request to its outcome. */
  metrics?: Pick<GatewayMetrics, 'sendSettled'>;
}

export class SessionNotOwnedHereError extends Error {
  override readonly name = 'SessionNotOwnedHereError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is not running in this process`);
  }
}
