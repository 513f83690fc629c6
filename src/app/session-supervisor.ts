import { createDriverReadyNotice } from './driver-ready-notice.js';
import { randomUUID } from 'node:crypto';
import { DriverStartError, type DriverSession } from '../adapters/whatsapp/port.js';
import {
  joinRunning,
  newRunning,
  notify,
  SessionLinkingUnderWayError,
  SessionStartFailedError,
  waitForView,
  type Running,
  type SessionView,
} from './supervised-session.js';
import { createDriverEventRecorder } from './driver-event-recorder.js';
import { observeSessionView } from './session-view-observer.js';
import { noFactSpool } from './fact-spool.js';
import { createKeyedQueue } from './keyed-queue.js';
import { createSessionCommands, type UserContext } from './session-commands.js';
import { probeLiveness } from './liveness-probe.js';
import { createLocalSessionLeases, SessionRunsElsewhereError } from './session-leases.js';
import { createSessionPlacement } from './session-placement.js';
import { closeAllForShutdown } from './supervisor-shutdown.js';
import { boundedParallel, everyWithoutOverlap, restartDelay } from './supervisor-timing.js';
import type { SupervisorOptions } from './supervisor-options.js';

/**
 * The heart of the gateway (WppManager in the system it replaces): starts and stops drivers, records what
 * they report, probes them, restarts the ones that die, restores sessions on boot and closes all on shutdown.
 * One per process.
 */
export function createSessionSupervisor(options: SupervisorOptions) {
  const { handle, driver, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const queue = createKeyedQueue();
  const sessions = new Map<string, Running>();
  let heartbeat: NodeJS.Timeout | undefined;
  const placement = createSessionPlacement({
    leases: options.leases ?? createLocalSessionLeases(),
    owner: options.owner ?? randomUUID(),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    rebalanceStep: options.rebalanceStep ?? 2,
    sessionsToRestore: () => options.sessionsToRestore(),
    askedToStop: (sessionIds) => options.sessionsToStop?.(sessionIds) ?? Promise.resolve([]),
  });
  let closing = false;
  const driverReady = createDriverReadyNotice(logger);
  const startWaitMs = options.startWaitMs ?? 30_000;

  const sessionCommand = createSessionCommands(handle, queue);

  async function launch(running: Running): Promise<void> {
    running.failure = undefined;
    const callbacks = createDriverEventRecorder(
      {
        handle,
        queue,
        logger,
        clock,
        spool: options.spool ?? noFactSpool,
        stopping: () => closing,
        ...(options.intake ? { intake: options.intake } : {}),
      },
      { sessionId: running.sessionId, companyId: running.companyId, startId: randomUUID() },
      observeSessionView(running, onDriverGone),
    );
    try {
      running.launching = true;
      const started = await driver.start({
        sessionId: running.sessionId,
        callbacks,
        ...(running.phoneNumber ? { phoneNumber: running.phoneNumber } : {}),
      });
      // Stopped, deleted or shut down while the driver was starting: it must not keep running untracked.
      if (!running.wanted || closing || sessions.get(running.sessionId) !== running) {
        await started
          .stop()
          .catch((error: unknown) =>
            logger.warn({ err: error, sessionId: running.sessionId }, 'Driver did not close cleanly'),
          );
        return;
      }
      running.driverSession = started;
      running.launching = false;
      running.missedBeats = 0;
      driverReady.announce(running.sessionId);
    } catch (error) {
      const reason = startFailureReason(error);
      running.launching = false;
      logger.error({ err: error, sessionId: running.sessionId }, 'WhatsApp driver failed to start');
      running.failure = reason;
      running.view = { status: 'disconnected', qrCode: null };
      await sessionCommand(running, {
        type: 'RecordFailure',
        reason,
        retryable: error instanceof DriverStartError ? error.retryable : true,
      });
      onDriverGone(running, error instanceof DriverStartError ? error.retryable : true, reason);
      notify(running);
    }
  }

  function onDriverGone(running: Running, retryable: boolean, reason: string) {
    const gone = running.driverSession;
    running.driverSession = undefined;
    void gone
      ?.stop()
      .catch((error: unknown) =>
        logger.warn({ err: error, sessionId: running.sessionId }, 'Driver did not close cleanly'),
      );
    if (!retryable || !running.wanted || closing) {
      if (!running.wanted || !retryable) {
        sessions.delete(running.sessionId);
        void placement.release(running.sessionId).catch(() => undefined);
      }
      return;
    }
    const delay = restartDelay(
      running.restarts++,
      options.restartInitialMs ?? 1000,
      options.restartMaxMs ?? 60_000,
    );
    logger.warn({ sessionId: running.sessionId, reason, delayMs: delay }, 'Restarting session after failure');
    running.restartTimer = setTimeout(() => {
      running.restartTimer = undefined;
      if (running.wanted && !closing) void launch(running);
    }, delay);
    running.restartTimer.unref();
  }

  async function probe(): Promise<void> {
    const { alive, dead } = await probeLiveness(sessions.values(), {
      timeoutMs: Math.min(5000, options.heartbeatIntervalMs ?? 30_000),
      missedBeforeDead: options.missedHeartbeatsBeforeDead ?? 3,
      now: clock,
    });
    for (const running of dead) {
      const reason = `missed ${running.missedBeats} heartbeats`;
      logger.error(
        { sessionId: running.sessionId, lastHeartbeat: running.lastBeat },
        `Marked dead: ${reason}`,
      );
      await sessionCommand(running, { type: 'MarkDead', reason, lastHeartbeatAt: running.lastBeat });
      running.view = { status: 'disconnected', qrCode: null };
      onDriverGone(running, true, reason);
      notify(running);
    }
    const answered = alive.map((r) => r.sessionId);
    if (answered.length) await options.recordHeartbeats(answered, clock());
    const stopped = options.sessionsToStop ? await options.sessionsToStop([...sessions.keys()]) : [];
    for (const sessionId of stopped) {
      const running = sessions.get(sessionId);
      if (!running) continue;
      logger.warn({ sessionId }, 'A stop asked elsewhere did not arrive; stopping the session now');
      await halt(sessionId, () =>
        sessionCommand(running, { type: 'RecordStopped', reason: 'stop requested' }),
      );
    }
    const { lost, toHandOver, receiver } = await placement.renew([...sessions.values()]);
    for (const sessionId of lost) {
      logger.error({ sessionId }, 'Another process took over this session; closing it');
      await halt(sessionId);
    }
    await placement.handOver(toHandOver, receiver, {
      driverSession: (sessionId) => sessions.get(sessionId)?.driverSession,
      halt,
      nudge: options.nudge,
      logger,
    });
  }

  return {
    /** Asks for the session to run and answers once it shows a QR code or is connected (or the wait ends). */
    async start(sessionId: string, context: UserContext, phoneNumber?: string): Promise<SessionView> {
      const target = { sessionId, companyId: context.companyId };
      const command = { type: 'StartSession' as const, ...(phoneNumber ? { phoneNumber } : {}) };
      await sessionCommand(target, command, context);
      const current = sessions.get(sessionId);
      const active = !!(current?.driverSession || current?.restartTimer || current?.launching);
      if (phoneNumber && active && current?.view.status !== 'pairing')
        throw new SessionLinkingUnderWayError(sessionId);
      const joined = joinRunning(current, startWaitMs);
      if (joined) return joined;
      if (!(await placement.claim(sessionId))) throw new SessionRunsElsewhereError(sessionId);
      // The heartbeat may have restored it while the lease was taken (the same process holds it either way).
      const restored = joinRunning(sessions.get(sessionId), startWaitMs);
      if (restored) return restored;
      const running = newRunning(target);
      if (phoneNumber) running.phoneNumber = phoneNumber;
      sessions.set(sessionId, running);
      await launch(running);
      return waitForView(running, startWaitMs);
    },

    /** Records the stop and closes the driver; when another process runs it, answers once that one has. */
    async stop(sessionId: string, context: UserContext): Promise<void> {
      const target = { sessionId, companyId: context.companyId };
      const { state } = await sessionCommand(target, { type: 'StopSession' }, context);
      if (!sessions.has(sessionId) && (await placement.heldElsewhere(sessionId))) {
        const outcome = await options.untilStoppedElsewhere?.(sessionId);
        if (outcome !== 'owner-gone') return;
      }
      await halt(sessionId);
      if (state.driverRunning)
        await sessionCommand(target, { type: 'RecordStopped', reason: 'stop requested' }, context);
    },

    /** A deleted session: close its driver and delete its saved login and browser profile. */
    async forget(sessionId: string): Promise<void> {
      await halt(sessionId);
      await driver.removeSessionData(sessionId);
    },

    /** A stop or delete asked of another process (from the bus): closes the session if it runs here. */
    async stoppedElsewhere(
      sessionId: string,
      companyId: string,
      deleted: boolean,
      requestedAt: Date,
    ): Promise<void> {
      const running = sessions.get(sessionId);
      // Started again here after that request: the request is about a run that is over.
      if (!running || running.since > requestedAt.getTime()) return;
      // Recorded before the lease goes: the process that asked answers once the lease is gone, and its caller's
      // next read must show the stop.
      await halt(sessionId, () =>
        deleted
          ? driver.removeSessionData(sessionId)
          : sessionCommand({ sessionId, companyId }, { type: 'RecordStopped', reason: 'stop requested' }),
      );
    },

    restoreAll,

    startHeartbeat(): void {
      // Sessions whose process died are taken over at a beat once their lease has expired. Beats never overlap:
      // two at once could restore one session twice.
      heartbeat ??= everyWithoutOverlap(
        async () => {
          await probe();
          await restoreAll();
        },
        options.heartbeatIntervalMs ?? 30_000,
        (error) => logger.error({ err: error }, 'Heartbeat failed'),
      );
    },

    /** Probes every running session once now (the heartbeat does this on its interval). */
    probe,

    driverSession: (sessionId: string): DriverSession | undefined => sessions.get(sessionId)?.driverSession,
    /**
     * Calls `listener` each time a session's driver has started on this process (`driverSession` answers it from
     * then on). Answers the function that stops the calls.
     */
    onDriverReady: driverReady.listen,
    view: (sessionId: string): SessionView | undefined => sessions.get(sessionId)?.view,
    runningSessionIds: (): string[] => [...sessions.keys()],

    /** Closes every driver within the time limit, recording each session as stopped (it is restored on the next boot). */
    async shutdown(): Promise<void> {
      closing = true;
      if (heartbeat) clearInterval(heartbeat);
      const all = [...sessions.values()];
      await closeAllForShutdown(all, {
        timeoutMs: options.shutdownTimeoutMs ?? 10_000,
        recordStopped: (running) =>
          sessionCommand(running, { type: 'RecordStopped', reason: 'gateway shut down' }),
        logger,
      });
      // Every lease of this process goes with it, and the others share the sessions from their next beat.
      await placement.leave().catch(() => undefined);
      sessions.clear();
      await queue.drain();
      await driver.close();
    },
  };

  /** On boot and each beat: starts the sessions that should run and no live process holds, up to its share. */
  async function restoreAll(): Promise<number> {
    if (closing) return 0;
    const toRestore = await placement.claimFree(new Set(sessions.keys()));
    await boundedParallel(toRestore, options.restoreConcurrency ?? 4, async (target) => {
      // Started by a request while its lease was taken: it runs already.
      if (sessions.has(target.sessionId)) return;
      const running = newRunning(target);
      sessions.set(target.sessionId, running);
      await launch(running);
    });
    return toRestore.length;
  }

  /** Closes the session's driver, then does `beforeRelease` (recording the stop), then lets its lease go. */
  async function halt(sessionId: string, beforeRelease?: () => Promise<unknown>): Promise<void> {
    const running = sessions.get(sessionId);
    if (!running) return;
    running.wanted = false;
    if (running.restartTimer) clearTimeout(running.restartTimer);
    sessions.delete(sessionId);
    await running.driverSession?.stop();
    running.driverSession = undefined;
    try {
      await beforeRelease?.();
    } finally {
      await placement.release(sessionId);
    }
  }
}

export type SessionSupervisor = ReturnType<typeof createSessionSupervisor>;

export { SessionStartFailedError, type SessionView, type UserContext };

/** Why a driver did not start, as Session_Logs and the status show it. */
function startFailureReason(error: unknown): string {
  if (error instanceof DriverStartError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
