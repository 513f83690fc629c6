import type { Logger } from '../../../logger.js';
import type { Recorded, DriverCallbacks, DriverStatus } from '../port.js';
import { createContactDirectory } from './contact-directory.js';
import type { ChannelPolicy } from './message-filter.js';
import { attachMessageListeners } from './message-listeners.js';
import { mapSocketState, mapStatusFind, type StatusContext, type StatusDecision } from './map-status.js';
import { ownIdentity } from './own-identity.js';
import type { Disposable, WppClient } from './wpp-client.js';

/** What the callbacks need to know about, and ask of, the session they belong to. */
export interface SessionLink {
  client(): WppClient | null;
  /** `start()` has resolved: from now on a failure is reported, not thrown. */
  isStarted(): boolean;
  /** The session is stopping: nothing more is reported. */
  isClosing(): boolean;
  /** The session failed: close its browser. */
  shutDown(): void;
  /** Wait for a login (again): QR codes, with their time limit. */
  watchLogin(): void;
}

export type SessionEvents = ReturnType<typeof createSessionEvents>;

const rewatchDelayMs = 2000;

/** Turns WPPConnect's callbacks into the port's, once each, and never after the session stopped. */
export function createSessionEvents(
  sessionId: string,
  callbacks: DriverCallbacks,
  logger: Logger,
  link: SessionLink,
  options: { channels: ChannelPolicy; reconnectWatchdogMs: number },
) {
  const context: StatusContext = { wasConnected: false, loggedIn: false };
  let lastReported: string | null = null;
  let connectPending = false;
  let identifying = false;

  // WhatsApp Web does not wait for the gateway to record what it reports: the callback's promise is not awaited.
  const deliver = (what: string, callback: () => Recorded) => {
    if (link.isClosing()) return;
    try {
      void callback();
    } catch (error) {
      logger.error({ sessionId, err: error }, `The driver's ${what} callback failed`);
    }
  };

  // WhatsApp Web's own `isConnected()` looks only at the page; a socket stuck in TIMEOUT or OPENING never
  // comes back by itself. A session that stays disconnected this long fails, and the supervisor restarts it.
  let watchdog: NodeJS.Timeout | undefined;
  function watch(status: DriverStatus): void {
    if (status.type !== 'disconnected' || !status.willReconnect) {
      clearTimeout(watchdog);
      watchdog = undefined;
      return;
    }
    watchdog ??= setTimeout(() => {
      watchdog = undefined;
      const ms = options.reconnectWatchdogMs;
      const waited = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
      report({
        type: 'failed',
        reason: `WhatsApp Web did not reconnect within ${waited} (${status.reason}); restarting it`,
        retryable: true,
      });
    }, options.reconnectWatchdogMs).unref();
  }

  function report(status: DriverStatus): void {
    if (link.isClosing()) return;
    if (status.type === 'failed' && !link.isStarted()) {
      logger.info({ sessionId, reason: status.reason }, 'WhatsApp session failed while starting');
      return;
    }
    watch(status);
    const key = JSON.stringify(status);
    if (key === lastReported) return;
    lastReported = key;
    if (status.type !== 'connected') connectPending = false;
    const loggedOut = status.type === 'disconnected' && status.loggedOut;
    if (loggedOut) Object.assign(context, { wasConnected: false, loggedIn: false });
    deliver('status', () => callbacks.onStatus(status));
    if (status.type === 'failed') link.shutDown();
    // WPPConnect waits as long before it watches a login again: the page first shows the QR code page.
    else if (loggedOut) setTimeout(() => link.isClosing() || link.watchLogin(), rewatchDelayMs).unref();
  }

  // `connected` carries the session's own WhatsApp id, which can be asked only once the client exists.
  async function connect(): Promise<void> {
    context.loggedIn = true;
    connectPending = true;
    const client = link.client();
    if (!client || identifying) return;
    identifying = true;
    try {
      const own = await ownIdentity(client);
      if (!connectPending) return;
      context.wasConnected = true;
      report({ type: 'connected', ...own });
    } catch (error) {
      logger.warn({ sessionId, err: error }, 'Logged in to WhatsApp, but its own id is not known yet');
    } finally {
      identifying = false;
    }
  }

  async function takeOver(client: WppClient | null): Promise<void> {
    try {
      await client?.useHere();
    } catch (error) {
      logger.warn({ sessionId, err: error }, 'Could not take WhatsApp Web back from another window');
      report({
        type: 'failed',
        reason: 'WhatsApp Web is open elsewhere and could not be taken back',
        retryable: true,
      });
    }
  }

  function decide(decision: StatusDecision, source: string, value: unknown): void {
    switch (decision.kind) {
      case 'report':
        return report(decision.status);
      case 'connected':
        return void connect();
      case 'logged-in':
        context.loggedIn = true;
        return report({ type: 'connecting', restoring: decision.restoring });
      case 'take-over':
        return void takeOver(link.client());
      case 'ignore':
        return logger.info({ sessionId, [source]: value, why: decision.why }, `WPPConnect ${source} ignored`);
      case 'unknown':
        return logger.warn({ sessionId, [source]: value }, `Unknown WPPConnect ${source}, not mapped`);
    }
  }

  return {
    report,
    catchQR: (_image: string, _ascii: string, attempt: number, urlCode?: string): void => {
      if (urlCode) deliver('QR code', () => callbacks.onQrCode({ code: urlCode, attempt }));
      else logger.warn({ sessionId, attempt }, 'WPPConnect issued a QR code without its text');
    },
    statusFind: (status: string): void => decide(mapStatusFind(status, context), 'statusFind', status),
    /** Listens to the client once `create()` returned it; reports `connected` if it was waiting for it. */
    attach(client: WppClient): Disposable[] {
      if (connectPending) void connect();
      const directory = createContactDirectory(client, (mapping) =>
        deliver('lid mapping', () => callbacks.onLidMapped?.(mapping)),
      );
      return [
        client.onStateChange((state) => decide(mapSocketState(String(state), context), 'state', state)),
        ...attachMessageListeners(client, {
          sessionId,
          callbacks,
          logger,
          policy: options.channels,
          directory,
          deliver,
        }),
      ];
    },
  };
}
