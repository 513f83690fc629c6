import type { WhatsAppDriver } from '../adapters/whatsapp/port.js';
import type { Logger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';
import type { FactSpool } from './fact-spool.js';
import type { IntakeLoad } from './intake-load.js';
import type { SessionLeases } from './session-leases.js';
import type { StopElsewhere } from './stop-confirmation.js';

export interface SupervisorOptions {
  handle: CommandHandler;
  driver: WhatsAppDriver;
  /** Sessions whose last request was start, to bring back when the process boots. */
  sessionsToRestore(): Promise<{ sessionId: string; companyId: string }[]>;
  /** Writes `Last_Heartbeat` of sessions that answered (telemetry, not events). */
  recordHeartbeats(sessionIds: string[], at: Date): Promise<void>;
  logger: Logger;
  /** Who runs which session, when several gateway processes share the database (default: this process alone). */
  leases?: SessionLeases;
  /** This process's name in the leases (default: a random id). */
  owner?: string;
  clock?: () => Date;
  /** How often running sessions are probed (default 30 s). */
  heartbeatIntervalMs?: number;
  /** Missed probes in a row before a session is marked dead and restarted (default 3). */
  missedHeartbeatsBeforeDead?: number;
  /** How long `start` waits for a QR code or a connection before answering with the current status (default 30 s). */
  startWaitMs?: number;
  /** Sessions restored at the same time on boot (default 4). */
  restoreConcurrency?: number;
  /** Delay before the first restart of a dead or failed session, doubled each time up to `restartMaxMs`. */
  restartInitialMs?: number;
  restartMaxMs?: number;
  /** How long shutdown waits for each driver to close (default 10 s). */
  shutdownTimeoutMs?: number;
  /**
   * A stop asked of a process that does not run the session: resolves once the process that runs it has stopped
   * it and recorded so (it learns of the request through the bus), or with 'owner-gone' once that process proved
   * gone and its lease let go (the stop is then recorded here). Default: resolves at once.
   */
  untilStoppedElsewhere?: (sessionId: string) => Promise<StopElsewhere>;
  /**
   * Of the sessions this process runs, those whose last request was stop: the heartbeat stops them, should the
   * stop have been asked of another process whose message never arrived.
   */
  sessionsToStop?: (sessionIds: string[]) => Promise<string[]>;
  /** Asks another process to take free sessions now (the one this process just handed sessions over to). */
  nudge?: (owner: string) => void;
  /** Most sessions handed over to a less loaded process per heartbeat (default 2; 0 never hands any over). */
  rebalanceStep?: number;
  /** Where facts wait while the store is out of reach (default: in memory only). */
  spool?: FactSpool;
  /**
   * Counts the facts being recorded, so that background work yields to them, and says when the process is so far
   * behind that each arriving fact is spooled at once (default: not counted, never behind).
   */
  intake?: IntakeLoad;
}
