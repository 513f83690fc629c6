import type { Browser, Page } from 'puppeteer';
import type { Logger } from '../../../logger.js';
import { numberStatusOf } from './number-status.js';
import { bytesOfDataUrl } from './media-bytes.js';
import { contactListName, downloadProfilePicture, profilePictureUrl } from './contact-profile.js';
import {
  DriverStartError,
  SendFailedError,
  SessionNotRunningError,
  type DriverCallbacks,
  type DriverSession,
  type SentMessage,
} from '../port.js';
import { closeBrowser } from './close-browser.js';
import { launchBrowser, type LaunchBrowser } from './launch-browser.js';
import type { ChannelPolicy } from './message-filter.js';
import { sendInOneCall, sendMedia, sendText } from './send-message.js';
import type { PageSend } from './send-in-page.js';
import { createSessionEvents } from './session-events.js';
import { wppGroupCalls } from './group-calls.js';
import { removeProfile } from './session-profile.js';
import { TimedOutError, withTimeout } from './with-timeout.js';
import type { CreateWppconnect, Disposable, WppClient } from './wpp-client.js';
import { wppconnectLogger } from './wppconnect-logger.js';

export interface SessionSettings {
  sessionId: string;
  callbacks: DriverCallbacks;
  executablePath: string;
  userDataDir: string;
  /** The profile holds a saved login. */
  restoring: boolean;
  /** Link by this phone number (WPPConnect's `phoneNumber` + `catchLinkCode`) instead of by QR code. */
  linkByPhone?: string | undefined;
  create: CreateWppconnect;
  launch: LaunchBrowser;
  startTimeoutMs: number;
  /** The bundled WhatsApp Web version to pin, or null for the one web.whatsapp.com serves. */
  whatsappWebVersion: string | null;
  /** How long the connection may stay lost (TIMEOUT, OPENING …) before the session is restarted. */
  reconnectWatchdogMs: number;
  /** Which one-to-many chats are kept. */
  channels: ChannelPolicy;
  /** How long a send may go unanswered before its outcome counts as unknown. */
  sendTimeoutMs?: number;
  /** How long WPPConnect waits for the QR code to be scanned before it closes the session. */
  qrTimeoutMs: number;
  logger: Logger;
  /** Called once the session's browser is closed, however that came about. */
  onClosed: () => void;
}

const aliveProbeMs = 5000;
const clientCallMs = 10_000;

/** Launches Chromium on the session's profile and runs WhatsApp Web in it through WPPConnect. */
export async function startWppconnectSession(settings: SessionSettings): Promise<DriverSession> {
  const { sessionId, logger } = settings;
  let launched: { browser: Browser; page: Page };
  try {
    launched = await launchBrowser(settings.launch, settings);
  } catch (error) {
    throw new DriverStartError(sessionId, `Chromium could not be started: ${messageOf(error)}`, true, {
      cause: error,
    });
  }
  const { browser, page } = launched;
  let client: WppClient | null = null;
  let started = false;
  let stopping = false;
  let closed: Promise<void> | null = null;
  let listeners: Disposable[] = [];
  let watchingLogin = false;

  const shutDown = (): Promise<void> => {
    stopping = true;
    closed ??= (async () => {
      for (const listener of listeners) listener.dispose();
      if (client) await bounded(client.close(), 'closing WPPConnect').catch(() => undefined);
      await closeBrowser(browser, page);
      settings.onClosed();
    })();
    return closed;
  };

  const events = createSessionEvents(
    sessionId,
    settings.callbacks,
    logger,
    {
      client: () => client,
      isStarted: () => started,
      isClosing: () => stopping,
      shutDown: () => void shutDown(),
      watchLogin,
    },
    { channels: settings.channels, reconnectWatchdogMs: settings.reconnectWatchdogMs },
  );

  // With `waitForLogin: false` WPPConnect's `create` returns once WhatsApp Web has loaded; its login watch
  // (the `notLogged`/`isLogged` statuses and the QR time limit) runs here, beside the session.
  function watchLogin(): void {
    if (!client || watchingLogin || stopping) return;
    watchingLogin = true;
    client.waitForLogin().then(
      () => (watchingLogin = false),
      (error: unknown) => {
        watchingLogin = false;
        const reason = `the WhatsApp login did not complete: ${messageOf(error)}`;
        events.report({ type: 'failed', reason, retryable: true });
      },
    );
  }

  events.report({ type: 'connecting', restoring: settings.restoring });
  // Inside a promise, so that even a synchronous throw goes through the clean-up below.
  const creating = Promise.resolve().then(() =>
    settings.create({
      session: sessionId,
      browser,
      page,
      waitForLogin: false,
      autoClose: settings.qrTimeoutMs,
      disableWelcome: true,
      // An empty version pins nothing (host.layer.js only pins a truthy one).
      whatsappVersion: settings.whatsappWebVersion ?? '',
      logQR: false,
      updatesLog: false,
      logger: wppconnectLogger(logger, sessionId),
      catchQR: events.catchQR,
      ...linkByPhoneOptions(settings),
      statusFind: (status) => events.statusFind(String(status)),
    }),
  );
  // After a timeout `create` may still settle; its outcome no longer matters.
  creating.catch(() => undefined);
  try {
    client = await withTimeout(creating, settings.startTimeoutMs, () => {
      return new TimedOutError('Loading WhatsApp Web', settings.startTimeoutMs);
    });
  } catch (error) {
    await shutDown();
    const reason =
      error instanceof TimedOutError
        ? `WhatsApp Web did not load within ${duration(settings.startTimeoutMs)}`
        : `WhatsApp Web could not be loaded: ${messageOf(error)}`;
    throw new DriverStartError(sessionId, reason, true, { cause: error });
  }
  started = true;
  listeners = events.attach(client);
  watchLogin();

  const assertRunning = (): void => {
    if (stopping || !client) throw new SendFailedError(`session ${sessionId} is not running`, false);
  };

  const inOneCall = async (request: PageSend): Promise<SentMessage> => {
    assertRunning();
    return sendInOneCall(page, request, settings.sendTimeoutMs);
  };
  /** For calls other than sends: the session must be running. */
  const runningClient = (): WppClient => {
    if (stopping || !client) throw new SessionNotRunningError(sessionId);
    return client;
  };

  return {
    sendText: async (to, text, options) => {
      assertRunning();
      return sendText(page, to, text, options, settings.sendTimeoutMs);
    },
    sendPoll: (to, { name, options, selectableCount }) =>
      inOneCall({ kind: 'poll', to, name, choices: options, selectableCount }),
    sendLocation: (to, { latitude, longitude, name }) =>
      inOneCall({ kind: 'location', to, lat: latitude, lng: longitude, ...(name ? { name } : {}) }),
    react: (to, msgId, reaction) => inOneCall({ kind: 'reaction', to, msgId, reaction }),
    editMessage: (to, msgId, text) => inOneCall({ kind: 'edit', to, msgId, text }),
    revokeMessage: (to, msgId) => inOneCall({ kind: 'revoke', to, msgId }),
    sendMedia: async (to, media) => {
      assertRunning();
      return sendMedia(page, to, media, settings.sendTimeoutMs);
    },
    checkNumber: async (phone) => {
      const wpp = runningClient();
      return numberStatusOf(await bounded(wpp.checkNumberStatus(`${phone}@c.us`), 'checking a number'));
    },
    downloadMedia: async (waMessageId) =>
      bytesOfDataUrl(
        waMessageId,
        await bounded(runningClient().downloadMedia(waMessageId), 'downloading a file'),
      ),
    markSeen: async (chatJid) => {
      await bounded(runningClient().sendSeen(chatJid), 'marking a chat read');
    },
    profilePicture: async (contactJid) => {
      const answer = await bounded(runningClient().getProfilePicFromServer(contactJid), 'asking a picture');
      const url = profilePictureUrl(answer);
      return url ? downloadProfilePicture(url) : null;
    },
    contactName: async (contactJid) =>
      contactListName(await bounded(runningClient().getContact(contactJid), 'asking a contact')),
    ...wppGroupCalls(runningClient, bounded),
    async isAlive() {
      if (stopping || !client || page.isClosed() || !browser.connected) return false;
      return withTimeout(
        client.isConnected(),
        aliveProbeMs,
        () => new TimedOutError('isConnected', aliveProbeMs),
      )
        .then((connected) => connected === true)
        .catch(() => false);
    },
    stop: shutDown,
    async logout() {
      const wpp = stopping ? null : client;
      stopping = true;
      if (wpp) {
        await bounded(wpp.logout(), 'logging out').catch((error: unknown) => {
          logger.warn({ sessionId, err: error }, 'WhatsApp logout failed; the saved login is removed anyway');
        });
      }
      await shutDown();
      await removeProfile(settings.userDataDir);
    },
  };
}

function bounded<T>(promise: Promise<T>, operation: string): Promise<T> {
  return withTimeout(promise, clientCallMs, () => new TimedOutError(operation, clientCallMs));
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * WPPConnect 2.3.3 links by phone number when `create` gets `phoneNumber`: it asks WhatsApp for a code
 * (WA-JS `conn.genLinkDeviceCodeForPhoneNumber`) and hands it to `catchLinkCode` instead of drawing QR codes.
 */
function linkByPhoneOptions(settings: SessionSettings) {
  const phoneNumber = settings.linkByPhone;
  if (!phoneNumber) return {};
  return {
    phoneNumber,
    catchLinkCode: (code: string) => void settings.callbacks.onPairingCode?.({ code, phoneNumber }),
  };
}
