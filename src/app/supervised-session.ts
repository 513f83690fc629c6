import type { DriverSession } from '../adapters/whatsapp/port.js';
import type { ConnectionStatus } from '../domain/session/session-state.js';

/** What `start` answers: the session's connection and, while it waits for a scan, WhatsApp's QR string. */
export interface SessionView {
  status: ConnectionStatus;
  qrCode: string | null;
  /** While linking by phone number: the code to enter on the phone. */
  pairingCode?: string | null;
}

export class SessionStartFailedError extends Error {
  override readonly name = 'SessionStartFailedError';

  constructor(
    readonly sessionId: string,
    readonly reason: string,
  ) {
    super(`Session ${sessionId} could not start: ${reason}`);
  }
}

/**
 * Linking by phone number was asked while the session is already starting another way (connecting, showing a
 * QR code): it must be stopped first.
 */
export class SessionLinkingUnderWayError extends Error {
  override readonly name = 'SessionLinkingUnderWayError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is already starting; stop it before linking by phone number`);
  }
}

export interface Running {
  /** When this process was asked to run it (ms since the epoch). */
  since: number;
  sessionId: string;
  companyId: string;
  driverSession?: DriverSession;
  view: SessionView;
  failure?: string;
  wanted: boolean;
  missedBeats: number;
  lastBeat: Date | null;
  restarts: number;
  restartTimer?: NodeJS.Timeout;
  /** Link by this phone number (a pairing code) rather than by QR code. */
  phoneNumber?: string;
  /** A driver start is under way (a second start must not launch another). */
  launching?: boolean;
  changed: Set<() => void>;
}

/** A session the supervisor has just been asked to run, before its driver starts. */
export function newRunning(target: { sessionId: string; companyId: string }): Running {
  return {
    ...target,
    since: Date.now(),
    view: { status: 'connecting', qrCode: null },
    wanted: true,
    missedBeats: 0,
    lastBeat: null,
    restarts: 0,
    changed: new Set(),
  };
}

/** Tells everyone waiting on the session that its view changed. */
export function notify(running: Running): void {
  for (const listener of running.changed) listener();
}

/** Resolves once the session shows a QR code or a pairing code or is connected (or after `timeoutMs`); rejects if its start failed. */
export function waitForView(running: Running, timeoutMs: number): Promise<SessionView> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (running.failure && !running.driverSession)
        return finish(() => reject(new SessionStartFailedError(running.sessionId, running.failure!)));
      if (['qr', 'connected', 'pairing'].includes(running.view.status))
        return finish(() => resolve(running.view));
    };
    const timer = setTimeout(() => finish(() => resolve(running.view)), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      running.changed.delete(check);
      settle();
    };
    running.changed.add(check);
    check();
  });
}

/** The view of a session that already runs (or starts) here, once it shows one; undefined if it does not. */
export function joinRunning(
  running: Running | undefined,
  startWaitMs: number,
): Promise<SessionView> | SessionView | undefined {
  if (!running?.driverSession && !running?.restartTimer && !running?.launching) return undefined;
  running.wanted = true;
  return running.view.status === 'connecting' ? waitForView(running, startWaitMs) : running.view;
}
