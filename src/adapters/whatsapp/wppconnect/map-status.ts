import type { DriverStatus } from '../port.js';

/** What one of WPPConnect's status or state callbacks means for the session. */
export type StatusDecision =
  | { kind: 'report'; status: DriverStatus }
  /** In the chats: report `connected` once the session's own WhatsApp id is known. */
  | { kind: 'connected' }
  /** The login exists or was just made; WhatsApp Web still has to sync with the phone, which can fail. */
  | { kind: 'logged-in'; restoring: boolean }
  /** WhatsApp Web was opened elsewhere: take the session back. */
  | { kind: 'take-over' }
  | { kind: 'ignore'; why: string }
  | { kind: 'unknown' };

export interface StatusContext {
  /** `connected` has been reported since the last logout. */
  wasConnected: boolean;
  /** The login got past the QR code (logged in, or syncing with the phone). */
  loggedIn: boolean;
}

const failed = (reason: string, retryable: boolean): StatusDecision => ({
  kind: 'report',
  status: { type: 'failed', reason, retryable },
});
const disconnected = (reason: string, loggedOut: boolean, willReconnect: boolean): StatusDecision => ({
  kind: 'report',
  status: { type: 'disconnected', reason, loggedOut, willReconnect },
});
const unlinked = 'the phone unlinked this device';

/** Maps WPPConnect 2.3.3's `statusFind` values (its StatusFind enum, plus the old `desconnectedMobile`). */
export function mapStatusFind(status: string, context: StatusContext): StatusDecision {
  switch (status) {
    // `isLogged` only means credentials exist, `qrReadSuccess` that the scan was taken: the sync with the phone
    // comes later and can fail (`phoneNotConnected`). Only `inChat` means connected.
    case 'inChat':
      return { kind: 'connected' };
    case 'isLogged':
      return { kind: 'logged-in', restoring: true };
    case 'qrReadSuccess':
      return { kind: 'logged-in', restoring: false };
    case 'notLogged':
      return { kind: 'report', status: { type: 'connecting', restoring: false } };
    case 'autocloseCalled':
      // WPPConnect also auto-closes a login that never finishes syncing with the phone.
      return context.loggedIn
        ? failed('WhatsApp did not finish syncing with the phone in time', true)
        : failed('the QR code was not scanned in time', false);
    case 'browserClose':
      return failed('the browser closed', true);
    case 'serverClose':
      return failed('the connection to the browser closed', true);
    case 'qrReadFail':
      // Also fired when a navigation interrupts the login check (host.layer.js); WPPConnect then closes the
      // page: a new start gets a new round of QR codes.
      return failed('the QR code login could not be confirmed; starting again', true);
    case 'qrReadError':
      return failed('the QR code was scanned but the login could not be confirmed', true);
    case 'phoneNotConnected':
      // WPPConnect closes the page right after this (tryAutoClose in host.layer.js): nothing reconnects by itself.
      return failed('WhatsApp Web could not sync with the phone (is it online?)', true);
    case 'disconnectedMobile':
    case 'desconnectedMobile':
      // WPPConnect's registration poll also fires this once on a page that was never logged in.
      return context.wasConnected
        ? disconnected(unlinked, true, false)
        : { kind: 'ignore', why: 'no device was linked yet' };
    default:
      return { kind: 'unknown' };
  }
}

/** Maps WhatsApp Web's socket states (WPPConnect's SocketState enum) seen through `onStateChange`. */
export function mapSocketState(state: string, context: StatusContext): StatusDecision {
  switch (state) {
    case 'CONNECTED':
      return { kind: 'connected' };
    case 'CONFLICT':
      return { kind: 'take-over' };
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      // Before the first login these are just the QR code page.
      return context.wasConnected
        ? disconnected(unlinked, true, false)
        : { kind: 'ignore', why: 'waiting for the QR code to be scanned' };
    case 'OPENING':
    case 'PAIRING':
    case 'TIMEOUT':
    case 'UNLAUNCHED':
      return context.wasConnected
        ? disconnected(`WhatsApp Web lost its connection (${state}) and is reconnecting`, false, true)
        : { kind: 'ignore', why: 'WhatsApp Web is starting' };
    case 'DEPRECATED_VERSION':
      return failed('WhatsApp no longer accepts this WhatsApp Web version: update WPPConnect', false);
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return failed('WhatsApp blocked this number for breaking its terms of service', false);
    case 'PROXYBLOCK':
      return failed('WhatsApp blocked the connection from this network (proxy)', true);
    default:
      return { kind: 'unknown' };
  }
}
