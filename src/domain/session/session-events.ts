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
} as const;

type Schemas = typeof sessionEventSchemas;
export type SessionEventType = keyof Schemas;
export type SessionEvent = {
  [T in SessionEventType]: { type: T; data: z.infer<Schemas[T]> };
}[SessionEventType];
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
