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
  /** WA-JS's `contact.queryExists` behind WAPI: `{ id, numberExists, … }` (WPPConnect's WhatsappProfile). */
  checkNumberStatus(contactId: string): Promise<unknown>;
  /** WPPConnect's `downloadMedia`: the decrypted file as a data URL (`data:<type>;base64,…`). */
  downloadMedia(messageId: string): Promise<string>;
  /** WPPConnect's `getProfilePicFromServer`: `{ eurl, imgFull, img, … }` (ProfilePicThumbObj), empty without one. */
  getProfilePicFromServer(chatId: string): Promise<unknown>;
  /** WPPConnect's `getContact`: the contact (`name` from the phone's contact list, `pushname` …). */
  getContact(contactId: string): Promise<unknown>;
  /** Marks the chat's messages read (blue ticks for the contact). */
  sendSeen(chatId: string): Promise<unknown>;
  /** WA-JS `group.create`: `{ gid, participants: { [id]: { code, … } } }`. */
  createGroup(groupName: string, contacts: string | string[]): Promise<unknown>;
  /** WA-JS `group.addParticipants`: `{ [id]: { code, message, … } }` (code 200: added). */
  addParticipant(groupId: string, participantId: string | string[]): Promise<unknown>;
  removeParticipant(groupId: string, participantId: string | string[]): Promise<unknown>;
  promoteParticipant(groupId: string, participantId: string | string[]): Promise<unknown>;
  demoteParticipant(groupId: string, participantId: string | string[]): Promise<unknown>;
  leaveGroup(groupId: string): Promise<unknown>;
  /** WPPConnect's `getAllGroups(false)`: every group chat, each with `groupMetadata` (`subject`, `desc`, `participants`). */
  getAllGroups(withNewMessagesOnly?: boolean): Promise<unknown[]>;
  isConnected(): Promise<boolean>;
  getWid(): Promise<unknown>;
  getHostDevice(): Promise<unknown>;
  waitForLogin(): Promise<boolean>;
  useHere(): Promise<unknown>;
  logout(): Promise<unknown>;
  close(): Promise<unknown>;
}

export const loadCreate = async (): Promise<CreateWppconnect> => {
  // Importing WPPConnect installs a process-wide unhandledRejection listener that only logs (initializer.js);
  // with any such listener Node no longer fails on an unhandled rejection. It is taken off again here.
  const before = new Set(process.listeners('unhandledRejection'));
  const { create } = await import('@wppconnect-team/wppconnect');
  for (const listener of process.listeners('unhandledRejection'))
    if (!before.has(listener)) process.off('unhandledRejection', listener);
  return create;
};
