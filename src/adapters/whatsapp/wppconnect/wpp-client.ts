import type { create } from '@wppconnect-team/wppconnect';

/** WPPConnect's `create`, injectable so unit tests can play WhatsApp Web's callbacks without a browser. */
export type CreateWppconnect = typeof create;

export interface Disposable {
  dispose(): void;
}

/**
 * The part of WPPConnect's `Whatsapp` client the driver uses, with what arrives typed `unknown`: WPPConnect's
 * own types promise more than the page delivers. `Whatsapp` satisfies it.
 */
export interface WppClient {
  onAnyMessage(callback: (message: unknown) => void): Disposable;
  onAck(callback: (ack: unknown) => void): Disposable;
  onStateChange(callback: (state: unknown) => void): Disposable;
  onRevokedMessage(callback: (data: unknown) => void): Disposable;
  onMessageEdit(callback: (data: unknown) => void): Disposable;
  onReactionMessage(callback: (data: unknown) => void): Disposable;
  onPollResponse(callback: (data: unknown) => void): Disposable;
  onParticipantsChanged(callback: (data: unknown) => void): Disposable;
  onIncomingCall(callback: (data: unknown) => void): Disposable;
  /** WA-JS's `contact.getPnLidEntry`: `{ lid?, phoneNumber?, contact? }` for a `@c.us` or `@lid` id. */
  getPnLidEntry(id: string): Promise<unknown>;
  /** The chat, serialized: `name`, `formattedTitle`, `groupMetadata.subject` … */
  getChatById(id: string): Promise<unknown>;
  isConnected(): Promise<boolean>;
  getWid(): Promise<unknown>;
  getHostDevice(): Promise<unknown>;
  waitForLogin(): Promise<boolean>;
  useHere(): Promise<unknown>;
  logout(): Promise<unknown>;
  close(): Promise<unknown>;
}

export const loadCreate = async (): Promise<CreateWppconnect> => {
  // Loaded on first use: importing WPPConnect installs a process-wide unhandledRejection logger.
  const { create } = await import('@wppconnect-team/wppconnect');
  return create;
};
