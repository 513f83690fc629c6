import type { MessageAckValue } from '../../domain/chat/message-ack.js';
import type {
  GroupAction,
  GroupParticipant,
  OutgoingLocation,
  OutgoingPoll,
} from '../../domain/chat/chat-events.js';

/**
 * The WhatsApp driver port: one implementation drives WhatsApp Web in Chromium (WPPConnect), another simulates it.
 * A driver reports what happens through callbacks; the session supervisor turns those into events.
 */

/** A message WhatsApp delivered: from a contact or a group, or sent from the session's own phone (`fromMe`). */
export interface IncomingWhatsAppMessage {
  waMessageId: string;
  chatJid: string;
  isGroup: boolean;
  fromMe: boolean;
  /** The sender: the contact, the group member who wrote (for groups), or the session itself. */
  from: string;
  to: string;
  senderName: string | null;
  senderPhone: string | null;
  chatName: string | null;
  /** WhatsApp's type: `chat`, `image`, `video`, `audio`, `ptt`, `document`, `sticker`, `location` … */
  type: string;
  body: string;
  media: IncomingMedia | null;
  /** Unix seconds. */
  timestamp: number;
  /** A shared location (`type: location`): degrees, and the place's name or address when given. */
  location?: { lat: number; lng: number; description: string | null } | null;
  /** The message this one replies to. */
  quotedMsgId?: string | null;
  /** The ids mentioned with `@` in the text. */
  mentionedJidList?: string[];
  /** Shared contacts (`vcard`, `multi_vcard`). */
  vcardList?: { displayName: string | null; vcard: string }[];
  /** A poll (`poll_creation`): its question, its options and how many may be chosen (0: any number). */
  poll?: { name: string; options: string[]; selectableCount: number | null } | null;
  /**
   * The sender's linked-device id when the sender is known by its phone (`from` is then `…@c.us`), or its phone
   * JID when `from` stays a `…@lid` because the phone is not known.
   */
  senderLid?: string | null;
}

/** A file attached to a message; WhatsApp keeps it encrypted on its servers, downloadable with these keys. */
export interface IncomingMedia {
  mimetype: string;
  caption: string | null;
  fileName: string | null;
  size: number | null;
  mediaKey?: string | null;
  directPath?: string | null;
  deprecatedMms3Url?: string | null;
}

export type DriverStatus =
  | { type: 'connecting'; restoring: boolean }
  | { type: 'connected'; waId: string; phoneNumber: string | null }
  /** The connection dropped (`willReconnect`: the driver is getting it back) or the phone unlinked the device. */
  | { type: 'disconnected'; reason: string; loggedOut: boolean; willReconnect: boolean }
  /** The driver gave up and is no longer running (QR never scanned, browser died, WhatsApp unreachable …). */
  | { type: 'failed'; reason: string; retryable: boolean };

/**
 * What a driver reports. Each callback may return a promise that settles once the report is recorded (never
 * rejecting: a failure to record is the receiver's to handle); a driver that must answer only after the fact is
 * stored (the simulator's control routes) waits for it, a real one goes on at once.
 */
export interface DriverCallbacks {
  /** A new QR code to scan: WhatsApp's raw string (not an image) and which attempt this is (from 1). */
  onQrCode(qr: { code: string; attempt: number }): Recorded;
  onStatus(status: DriverStatus): Recorded;
  onMessage(message: IncomingWhatsAppMessage): Recorded;
  /** A message's delivery status changed, on the gateway's 0–5 scale. */
  onAck(ack: { waMessageId: string; chatJid: string; ack: MessageAckValue }): Recorded;
  onRevoked(revoked: { waMessageId: string; chatJid: string }): Recorded;
  /** The sender changed a message's text. */
  onEdited?(edit: { waMessageId: string; chatJid: string; body: string; editedAt: number }): Recorded;
  /** Someone reacted to a message (`reactionId` is the reaction's own id); an empty emoji takes it back. */
  onReaction?(reaction: {
    waMessageId: string;
    chatJid: string;
    reactionId: string;
    from: string;
    emoji: string;
    timestamp: number;
  }): Recorded;
  /** Someone voted in the poll `waMessageId`, choosing these options (their names). */
  onPollVote?(vote: {
    waMessageId: string;
    chatJid: string;
    from: string;
    selectedOptions: string[];
    timestamp: number;
  }): Recorded;
  /** Members of a group joined, left, were added, removed, promoted or demoted. */
  onParticipantsChanged?(change: {
    groupJid: string;
    action: string;
    participants: string[];
    by: string | null;
  }): Recorded;
  /** Linking by phone number: the code to enter on the phone (WhatsApp's `ABCD-EFGH`). */
  onPairingCode?(pairing: { code: string; phoneNumber: string }): Recorded;
  /** Someone is calling the session's number. */
  onIncomingCall?(call: {
    callId: string;
    from: string;
    isVideo: boolean;
    isGroup: boolean;
    timestamp: number;
  }): Recorded;
  /** WhatsApp addresses the contact `phoneJid` (`…@c.us`) also by the linked-device id `lid` (`…@lid`). */
  onLidMapped?(mapping: { lid: string; phoneJid: string }): Recorded;
}

/** Settles once a callback's report is recorded; never rejects. */
export type Recorded = Promise<void> | void;

export interface SentMessage {
  waMessageId: string;
  ack: MessageAckValue;
  /** Unix seconds. */
  timestamp: number;
}

/** What WhatsApp answers about a number: `jid` is its address there (null when it is not on WhatsApp). */
export interface NumberStatus {
  exists: boolean;
  jid: string | null;
}

export interface OutgoingMedia {
  mimetype: string;
  fileName: string | null;
  caption: string | null;
  data: Buffer;
}

/** A participant WhatsApp did not add or change, and WhatsApp's reason. */
export interface RefusedParticipant {
  jid: string;
  reason: string;
}

/** A group WhatsApp created: its members (the session first, as admin) and who could not be added. */
export interface CreatedGroup {
  groupJid: string;
  participants: GroupParticipant[];
  refused: RefusedParticipant[];
}

/** A group the session is in, as WhatsApp's list of the session's groups tells it. */
export interface ListedGroup {
  groupJid: string;
  subject: string | null;
  description: string | null;
  participants: GroupParticipant[];
}

/** What became of a change to a group's members. */
export interface GroupParticipantsChange {
  changed: string[];
  refused: RefusedParticipant[];
}

/** A text's reply and mentions. */
export interface TextOptions {
  /** The WhatsApp id of the message this one replies to. */
  quotedMessageId?: string | null;
  /** JIDs mentioned with `@` in the text. */
  mentions?: readonly string[];
}

/**
 * A connected session. Every send answers once WhatsApp took it, or throws SendFailedError (refused) or
 * SendOutcomeUnknownError (it may have gone out). A change to a message already sent (react, edit, revoke)
 * answers with that message's WhatsApp id.
 */
export interface DriverSession {
  sendText(to: string, text: string, options?: TextOptions): Promise<SentMessage>;
  sendMedia(to: string, media: OutgoingMedia): Promise<SentMessage>;
  sendPoll(to: string, poll: OutgoingPoll): Promise<SentMessage>;
  sendLocation(to: string, location: OutgoingLocation): Promise<SentMessage>;
  /** Reacts to the message `waMessageId` of the chat; an empty emoji takes the session's reaction back. */
  react(chatJid: string, waMessageId: string, emoji: string): Promise<SentMessage>;
  /** Replaces the text of a message the session sent. */
  editMessage(chatJid: string, waMessageId: string, text: string): Promise<SentMessage>;
  /** Deletes a message the session sent, for everyone. */
  revokeMessage(chatJid: string, waMessageId: string): Promise<SentMessage>;
  /** Whether the number (digits, international format) is on WhatsApp, and the JID WhatsApp knows it by. */
  checkNumber(phone: string): Promise<NumberStatus>;
  /**
   * Downloads and decrypts the file of a received message from WhatsApp's servers.
   * @throws MediaUnavailableError when WhatsApp no longer has it (retrying cannot help).
   */
  downloadMedia(waMessageId: string): Promise<Buffer>;
  /** Marks the chat read on WhatsApp: the contact sees blue ticks. */
  markSeen(chatJid: string): Promise<void>;
  /**
   * Creates a group with the session as its admin; answers its id and members as WhatsApp made them, and who
   * could not be added (WhatsApp's reason).
   * @throws GroupChangeRefusedError when WhatsApp refused; GroupCallFailedError when it did not answer.
   */
  createGroup(subject: string, participants: readonly string[]): Promise<CreatedGroup>;
  /**
   * Adds, removes, promotes or demotes members of a group; answers who was changed and who was not (and why).
   * @throws GroupNotFoundError for a group the session is not in; GroupChangeRefusedError when WhatsApp refused
   * the whole change; GroupCallFailedError when it did not answer.
   */
  changeGroupParticipants(
    groupJid: string,
    action: GroupAction,
    participants: readonly string[],
  ): Promise<GroupParticipantsChange>;
  /** Leaves a group. @throws GroupNotFoundError, GroupChangeRefusedError, GroupCallFailedError. */
  leaveGroup(groupJid: string): Promise<void>;
  /**
   * The groups the session is in, with their subject, description and members (admins flagged).
   * @throws GroupCallFailedError when WhatsApp did not answer.
   */
  listGroups(): Promise<ListedGroup[]>;
  /** Answers whether the session's connection to WhatsApp still responds (the heartbeat probe). */
  isAlive(): Promise<boolean>;
  /** Closes the connection and the browser, keeping the saved login for the next start. */
  stop(): Promise<void>;
  /** Unlinks the device from the phone and forgets the saved login. */
  logout(): Promise<void>;
  /**
   * Right before the session is handed over to another process: saves its login where that process finds it,
   * and leaves no local copy that could later pass for a newer one. False when the login could not be saved (the
   * session then stays here). Absent: the login is shared already (the simulator's).
   */
  prepareHandOver?(): Promise<boolean>;
  /**
   * The contact's profile picture (image bytes), or null when it has none or hides it from the session.
   * Absent: the driver cannot tell.
   */
  profilePicture?(contactJid: string): Promise<Buffer | null>;
  /** The name the session's phone keeps for the contact in its contact list, or null when it keeps none. */
  contactName?(contactJid: string): Promise<string | null>;
}

export interface StartOptions {
  sessionId: string;
  callbacks: DriverCallbacks;
  /**
   * Link by phone number: WhatsApp issues a pairing code for this number (digits, international format),
   * reported through `onPairingCode`, instead of QR codes. Ignored when a saved login is restored.
   */
  phoneNumber?: string;
}

export interface WhatsAppDriver {
  readonly name: 'wppconnect' | 'simulator';
  /**
   * Starts a session, restoring its saved login when there is one (then it connects without a QR code).
   * Resolves once the driver runs; what follows arrives through the callbacks.
   * @throws DriverStartError when the session cannot be started at all.
   */
  start(options: StartOptions): Promise<DriverSession>;
  /** Whether a saved login exists for the session. */
  hasSavedLogin(sessionId: string): Promise<boolean>;
  /** Deletes everything kept for the session (its browser profile, its saved login). */
  removeSessionData(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

export * from './driver-errors.js';
