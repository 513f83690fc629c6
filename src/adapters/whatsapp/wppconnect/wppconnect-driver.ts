import { silentLogger, type Logger } from '../../../logger.js';
import { DriverStartError, type DriverCallbacks, type DriverSession, type WhatsAppDriver } from '../port.js';
import type { LoginBackups } from './login-backups.js';
import { archiveProfile, extractProfile } from './profile-archive.js';
import { findChromium } from './chromium-path.js';
import { launchWithPuppeteer, type LaunchBrowser } from './launch-browser.js';
import { defaultChannelPolicy, type ChannelPolicy } from './message-filter.js';
import { clearStaleProfileLock, ProfileInUseError } from './profile-lock.js';
import { profileDir, profileHasContent, removeProfile } from './session-profile.js';
import { assertWhatsAppReachable, resolveWithDns, type ResolveHost } from './whatsapp-reachability.js';
import { loadCreate, type CreateWppconnect } from './wpp-client.js';
import { startWppconnectSession } from './wppconnect-session.js';

export interface WppconnectDriverOptions {
  /** Each session's browser profile, which keeps its login, lives in `<dataDir>/sessions/<sessionId>`. */
  dataDir: string;
  /** Chromium to launch; by default `chromium` on PATH or in /usr/bin. */
  chromiumPath?: string;
  /** How long WhatsApp Web may take to load before a start fails; 60 s by default. */
  startTimeoutMs?: number;
  /** How long a send may go unanswered before its outcome counts as unknown; 60 s by default. */
  sendTimeoutMs?: number;
  /** How long a QR code login may wait to be scanned before the session fails; 120 s (about 5 codes) by default. */
  qrTimeoutMs?: number;
  /**
   * Which one-to-many chats are kept: posts of followed channels (`@newsletter`, dropped by default) and the
   * session's own broadcast list messages (`@broadcast`, kept by default). Statuses (stories) never are.
   */
  channels?: Partial<ChannelPolicy>;
  /**
   * The WhatsApp Web version to load, from those bundled with `@wppconnect/wa-version` (a version or a
   * pattern such as `2.3000.x`); by default none is pinned and web.whatsapp.com serves its current one.
   * WPPConnect's own default (`2.3000.10305x`) is not in the bundled list: it loads the current version anyway,
   * after logging an error on every start.
   */
  whatsappWebVersion?: string;
  /**
   * How long a session that lost its connection (socket TIMEOUT, OPENING …) may take to get it back before it
   * fails and is restarted; 3 min by default.
   */
  reconnectWatchdogMs?: number;
  /**
   * Where each session's login is backed up (after it links, then every `backupEveryMs`), so that a process
   * without the profile restores it from there; none by default.
   */
  backups?: LoginBackups;
  /** How often a running session's login is backed up again; 30 min by default. */
  backupEveryMs?: number;
  /** WPPConnect's `create`; replaced in tests. */
  create?: CreateWppconnect;
  /** Launches the browser; puppeteer's `launch` by default, replaced in tests. */
  launch?: LaunchBrowser;
  /** Checks that a host name resolves (DNS by default); rejects when it does not. */
  resolveHost?: ResolveHost;
  logger?: Logger;
}

/**
 * The WhatsApp driver that runs WhatsApp Web in headless Chromium through WPPConnect, one browser per session.
 *
 * @example
 * const driver = createWppconnectDriver({ dataDir: './data/wppconnect' });
 * const session = await driver.start({ sessionId, callbacks });
 * await session.sendText('5511999999999@c.us', 'hello');
 */
export function createWppconnectDriver(options: WppconnectDriverOptions): WhatsAppDriver {
  const logger = options.logger ?? silentLogger;
  const sessions = new Map<string, DriverSession>();
  const backupTimers = new Map<string, NodeJS.Timeout>();

  async function start(
    sessionId: string,
    callbacks: Parameters<WhatsAppDriver['start']>[0]['callbacks'],
    phoneNumber: string | undefined,
  ) {
    await assertWhatsAppReachable(sessionId, options.resolveHost ?? resolveWithDns);
    const executablePath = await findChromium(options.chromiumPath);
    if (!executablePath) {
      const reason = options.chromiumPath
        ? `Chromium at ${options.chromiumPath} is missing or not executable`
        : 'no Chromium found (looked for chromium on PATH and in /usr/bin): install it or set its path';
      throw new DriverStartError(sessionId, reason, false);
    }
    const userDataDir = profileDir(options.dataDir, sessionId);
    const restoring = (await profileHasContent(userDataDir)) || (await restoreBackup(sessionId, userDataDir));
    if (restoring) await clearLock(sessionId, userDataDir);
    let session: DriverSession | undefined;
    const registered: { session?: DriverSession } = {};
    let handedOver = false;
    try {
      session = await startWppconnectSession({
        sessionId,
        callbacks: withBackups(sessionId, userDataDir, callbacks),
        executablePath,
        userDataDir,
        restoring,
        // A saved login connects by itself: a pairing code is only asked for a new link.
        linkByPhone: restoring ? undefined : phoneNumber,
        create: options.create ?? (await loadCreate()),
        launch: options.launch ?? launchWithPuppeteer,
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        sendTimeoutMs: options.sendTimeoutMs ?? 60_000,
        channels: { ...defaultChannelPolicy, ...options.channels },
        whatsappWebVersion: options.whatsappWebVersion ?? null,
        reconnectWatchdogMs: options.reconnectWatchdogMs ?? 180_000,
        qrTimeoutMs: options.qrTimeoutMs ?? 120_000,
        logger,
        onClosed: () => {
          stopBackups(sessionId);
          if (registered.session && sessions.get(sessionId) === registered.session)
            sessions.delete(sessionId);
          // Handed over: the backup is the login now; a local copy would be stale when the session comes back.
          if (handedOver) void removeProfile(userDataDir).catch(() => undefined);
        },
      });
    } catch (error) {
      // A first start that failed leaves no profile behind, so it does not pass for a saved login.
      if (!restoring) await removeProfile(userDataDir);
      throw error;
    }
    const started: DriverSession = {
      ...session,
      async prepareHandOver() {
        if (!options.backups) return false;
        try {
          await options.backups.save(sessionId, await archiveProfile(userDataDir));
        } catch (error) {
          logger.warn({ err: error, sessionId }, 'Could not back up the login to hand the session over');
          return false;
        }
        handedOver = true;
        return true;
      },
    };
    registered.session = started;
    sessions.set(sessionId, started);
    return started;
  }

  /** Brings a session's login from its backup into a profile this process does not have. */
  async function restoreBackup(sessionId: string, userDataDir: string): Promise<boolean> {
    const archive = await options.backups?.load(sessionId);
    if (!archive) return false;
    await extractProfile(userDataDir, archive);
    logger.info({ sessionId, bytes: archive.length }, 'Restored the session login from its backup');
    return true;
  }

  async function backUp(sessionId: string, userDataDir: string): Promise<void> {
    if (!options.backups) return;
    try {
      await options.backups.save(sessionId, await archiveProfile(userDataDir));
    } catch (error) {
      logger.warn({ err: error, sessionId }, 'Could not back up the session login');
    }
  }

  /** Backs the login up once the session is connected, then periodically while it stays connected. */
  function withBackups(sessionId: string, userDataDir: string, callbacks: DriverCallbacks): DriverCallbacks {
    if (!options.backups) return callbacks;
    return {
      ...callbacks,
      onStatus(status) {
        if (status.type === 'connected' && !backupTimers.has(sessionId)) {
          void backUp(sessionId, userDataDir);
          const timer = setInterval(
            () => void backUp(sessionId, userDataDir),
            options.backupEveryMs ?? 1_800_000,
          );
          timer.unref();
          backupTimers.set(sessionId, timer);
        } else if (status.type === 'failed' || (status.type === 'disconnected' && status.loggedOut)) {
          stopBackups(sessionId);
          // Unlinked from the phone: the login in the backup is worth nothing any more.
          if (status.type === 'disconnected') void options.backups?.remove(sessionId).catch(() => undefined);
        }
        return callbacks.onStatus(status);
      },
    };
  }

  function stopBackups(sessionId: string): void {
    clearInterval(backupTimers.get(sessionId));
    backupTimers.delete(sessionId);
  }

  async function clearLock(sessionId: string, userDataDir: string): Promise<void> {
    try {
      if (await clearStaleProfileLock(userDataDir))
        logger.info({ sessionId }, 'Removed a stale Chromium lock from the session profile');
    } catch (error) {
      if (error instanceof ProfileInUseError)
        throw new DriverStartError(sessionId, error.message, true, { cause: error });
      throw error;
    }
  }

  return {
    name: 'wppconnect',

    async start({ sessionId, callbacks, phoneNumber }) {
      // Two browsers cannot share one profile: a session started again replaces the one running.
      await sessions.get(sessionId)?.stop();
      return start(sessionId, callbacks, phoneNumber);
    },

    hasSavedLogin: (sessionId) => profileHasContent(profileDir(options.dataDir, sessionId)),

    async removeSessionData(sessionId) {
      await sessions.get(sessionId)?.stop();
      await removeProfile(profileDir(options.dataDir, sessionId));
      await options.backups?.remove(sessionId);
    },

    async close() {
      await Promise.all([...sessions.values()].map((session) => session.stop()));
      sessions.clear();
    },
  };
}
