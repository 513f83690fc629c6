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
import { boundedParallel, restartDelay } from './supervisor-timing.js';
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

  const sessionCommand = createSessionCommands(handle, queue);

  async function launch(running: Running): Promise<void> {
    running.failure = undefined;
    const callbacks = createDriverEventRecorder(
      { handle, queue, logger, clock, spool: options.spool ?? noFactSpool, stopping: () => closing },
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
    } catch (error) {
      const reason =
        error instanceof DriverStartError
          ? error.reason
          : error instanceof Error
            ? error.message
            : String(error);
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
        `Session marked dead: ${reason}`,
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
      await halt(sessionId);
      await sessionCommand(running, { type: 'RecordStopped', reason: 'stop requested' });
    }
    const { lost, toHandOver, receiver } = await placement.renew([...sessions.values()]);
    for (const sessionId of lost) {
      logger.error({ sessionId }, 'Another process took over this session; closing it');
      await halt(sessionId);
    }
    let handedOver = 0;
    for (const sessionId of toHandOver) {
      // Its login saved first, so that the next process needs no new QR code; if it cannot be, it stays here.
      if ((await sessions.get(sessionId)?.driverSession?.prepareHandOver?.()) === false) continue;
      logger.info({ sessionId }, 'Handing the session over to a less loaded process');
      await halt(sessionId);
      handedOver += 1;
    }
    // The least loaded process takes them now rather than at its next beat.
    if (handedOver && receiver) options.nudge?.(receiver);
  }

  return {
    /** Asks for the session to run and answers once it shows a QR code or is connected (or the wait ends). */
    async start(sessionId: string, context: UserContext, phoneNumber?: string): Promise<SessionView> {
      const target = { sessionId, companyId: context.companyId };
      await sessionCommand(
        target,
        { type: 'StartSession', ...(phoneNumber ? { phoneNumber } : {}) },
        context,
      );
      const current = sessions.get(sessionId);
      const active = !!(current?.driverSession || current?.restartTimer || current?.launching);
      if (phoneNumber && active && current?.view.status !== 'pairing')
        throw new SessionLinkingUnderWayError(sessionId);
      const joined = joinRunning(current, options.startWaitMs ?? 30_000);
      if (joined) return joined;
      if (!(await placement.claim(sessionId))) throw new SessionRunsElsewhereError(sessionId);
      // The heartbeat may have restored it while the lease was taken (the same process holds it either way).
      const restored = joinRunning(sessions.get(sessionId), options.startWaitMs ?? 30_000);
      if (restored) return restored;
      const running = newRunning(target);
      if (phoneNumber) running.phoneNumber = phoneNumber;
      sessions.set(sessionId, running);
      await launch(running);
      return waitForView(running, options.startWaitMs ?? 30_000);
    },

    /**
     * Asks for the session to stop, closes its driver and records that it stopped. When another process runs it,
     * that process stops it and records so; this one answers once it has.
     */
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

    /**
     * A stop or a delete asked of another gateway process: if this process runs the session, it closes it
     * (and for a delete, removes its data). Fed by the bus.
     */
    async stoppedElsewhere(
      sessionId: string,
      companyId: string,
      deleted: boolean,
      requestedAt: Date,
    ): Promise<void> {
      const running = sessions.get(sessionId);
      // Started again here after that request: the request is about a run that is over.
      if (!running || running.since > requestedAt.getTime()) return;
      await halt(sessionId);
      if (deleted) await driver.removeSessionData(sessionId);
      else
        await sessionCommand({ sessionId, companyId }, { type: 'RecordStopped', reason: 'stop requested' });
    },

    restoreAll,

    startHeartbeat(): void {
      const beat = async () => {
        await probe();
        // Sessions whose process died are taken over here once their lease has expired.
        await restoreAll();
      };
      // A beat that outlasts the interval (a slow database) is not overlapped by the next: two beats at once
      // could restore one session twice.
      let beating = false;
      heartbeat ??= setInterval(() => {
        if (beating) return;
        beating = true;
        beat()
          .catch((error: unknown) => logger.error({ err: error }, 'Heartbeat failed'))
          .finally(() => (beating = false));
      }, options.heartbeatIntervalMs ?? 30_000);
      heartbeat.unref();
    },

    /** Probes every running session once now (the heartbeat does this on its interval). */
    probe,

    driverSession: (sessionId: string): DriverSession | undefined => sessions.get(sessionId)?.driverSession,
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
      await Promise.all(all.map((running) => placement.release(running.sessionId).catch(() => undefined)));
      await placement.leave().catch(() => undefined);
      sessions.clear();
      await queue.drain();
      await driver.close();
    },
  };

  /** On boot (and each heartbeat): starts every session whose last request was start and that no live process holds. */
  async function restoreAll(): Promise<number> {
    if (closing) return 0;
    // With several gateway processes, each restores only the sessions no live process holds, up to its share.
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

  async function halt(sessionId: string): Promise<void> {
    const running = sessions.get(sessionId);
    if (!running) return;
    running.wanted = false;
    if (running.restartTimer) clearTimeout(running.restartTimer);
    sessions.delete(sessionId);
    await running.driverSession?.stop();
    running.driverSession = undefined;
    await placement.release(sessionId);
  }
}

export type SessionSupervisor = ReturnType<typeof createSessionSupervisor>;

export { SessionStartFailedError, type SessionView, type UserContext };
