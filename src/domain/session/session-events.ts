import { z } from 'zod';

/** Events of the `session-<sessionId>` stream, each with the schema of its payload (version 1). */
export const sessionEventSchemas = {
  SessionRegistered: z.object({
    sessionId: z.string().min(1),
    companyId: z.string().min(1),
    name: z.string().min(1),
    phoneNumber: z.string().nullable(),
    /** Only a hash enters history: events live forever, secrets must not. */
    tokenHash: z.string().nullable(),
  }),
  SessionUpdated: z.object({
    name: z.string().min(1).optional(),
    phoneNumber: z.string().nullable().optional(),
    tokenHash: z.string().nullable().optional(),
  }),
  SessionDeleted: z.object({}),
  SessionStartRequested: z.object({}),
  SessionConnecting: z.object({ restoring: z.boolean() }),
  QrCodeIssued: z.object({
    /** WhatsApp's raw QR string (not the image): the image can be drawn again from it. */
    qrCode: z.string().min(1),
    attempt: z.number().int().positive(),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  }),
  /** Linking by phone number: WhatsApp's code to enter on the phone (`ABCD-EFGH`), for this number. */
  PairingCodeIssued: z.object({
    pairingCode: z.string().min(1),
    phoneNumber: z.string().min(1),
    issuedAt: z.iso.datetime(),
  }),
  SessionConnected: z.object({ waId: z.string().min(1), phoneNumber: z.string().nullable() }),
  SessionDisconnected: z.object({
    reason: z.string().min(1),
    /** The phone unlinked the device: the next start needs a new QR code. */
    loggedOut: z.boolean(),
  }),
  SessionStopRequested: z.object({}),
  SessionStopped: z.object({ reason: z.string().min(1) }),
  SessionFailed: z.object({ reason: z.string().min(1), retryable: z.boolean() }),
  SessionMarkedDead: z.object({ reason: z.string().min(1), lastHeartbeatAt: z.iso.datetime().nullable() }),
  /** Members joined, left, were added, removed, promoted or demoted in one of the session's groups. */
  GroupParticipantsChanged: z.object({
    groupJid: z.string().min(1),
    action: z.string().min(1),
    /** A member's id is empty once that member is erased (README, "Privacy: crypto-shredding"). */
    participants: z.array(z.string()),
    /** Who did it, when WhatsApp says; null once erased. */
    by: z.string().min(1).nullable(),
  }),
  /** Someone called the session's number (WhatsApp Web cannot answer calls). */
  IncomingCallReceived: z.object({
    callId: z.string().min(1),
    /** The caller; empty once the caller is erased (README, "Privacy: crypto-shredding"). */
    from: z.string(),
    isVideo: z.boolean(),
    isGroup: z.boolean(),
    /** Unix seconds. */
    timestamp: z.number().int().nonnegative(),
  }),
  /**
   * WhatsApp addresses a contact by a linked-device id (`…@lid`) that stands for this phone JID: chats, senders
   * and acks under the `@lid` id belong to the phone JID's chat.
   */
  ContactLidMapped: z.object({
    lid: z.string().min(1),
    /** Empty once the contact is erased (README, "Privacy: crypto-shredding"). */
    phoneJid: z.string(),
    /** The contact's keyed hash, kept in clear beside the sealed number (domain/privacy/contact-hash.ts). */
    contactHash: z.string().optional(),
  }),
} as const;

type Schemas = typeof sessionEventSchemas;
export type SessionEventType = keyof Schemas;
export type SessionEvent = {
  [T in SessionEventType]: { type: T; data: z.infer<Schemas[T]> };
}[SessionEventType];
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
