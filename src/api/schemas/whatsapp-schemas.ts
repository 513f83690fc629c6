import { z } from 'zod';
import { connectionStatuses } from '../../domain/session/session-state.js';

export const connectionStatus = z.enum(connectionStatuses);

export const startReply = z.object({
  message: z.string(),
  status: connectionStatus,
  qrCode: z.string().optional(),
  /** With status `pairing`: the code to enter on the phone (WhatsApp › Linked devices › Link with phone number). */
  pairingCode: z.string().optional(),
});
export const startBody = z
  .object({
    phoneNumber: z
      .string()
      .regex(
        /^\+?[1-9]\d{7,14}$/,
        'must be the phone number in international format, digits only (e.g. 5511999999999)',
      )
      .transform((value) => value.replace(/^\+/, ''))
      .optional(),
  })
  .strict()
  // Clients start a session with no body at all (null to the validator).
  .nullish();
export const qrReply = z.object({ qrCode: z.string() });
export const statusReply = z.object({
  sessionId: z.string(),
  status: connectionStatus,
  isConnected: z.boolean(),
  /** With status `pairing`: the code to enter on the phone. */
  pairingCode: z.string().optional(),
});

export const chatsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(500) }).strict();
export const chatsReply = z.object({
  chats: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      lastMessageTime: z.number().int().nullable(),
      unreadCount: z.number().int(),
    }),
  ),
});

export const chatParams = z
  .object({ id: z.uuid({ message: 'must be a session id (UUID)' }), chatId: z.string().min(1).max(100) })
  .strict();
export const messagesQuery = z
  .object({
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
    before: z.string().min(1).max(200).optional(),
  })
  .strict();

export const messageShape = z.object({
  id: z.string(),
  chatId: z.string(),
  direction: z.enum(['IN', 'OUT']),
  type: z.string(),
  /** Null once the contact's data was erased (then `erased` is true). */
  body: z.string().nullable(),
  status: z.number().int(),
  timestamp: z.number().int(),
  from: z.string(),
  to: z.string(),
  fromMe: z.boolean(),
  media: z
    .object({
      mimetype: z.string(),
      caption: z.string().nullable(),
      fileName: z.string().nullable(),
      size: z.number().nullable(),
      url: z.string().nullable(),
      /** An incoming file once kept: its SHA-256 (also the ETag of its url). */
      sha256: z.string().optional(),
      /** Why an incoming file could not be kept (its url stays null). */
      downloadError: z.string().optional(),
    })
    .optional(),
  quotedId: z.string().optional(),
  mentions: z.array(z.string()).optional(),
  author: z.string().optional(),
  editedAt: z.number().int().optional(),
  revoked: z.boolean().optional(),
  reactions: z.array(z.object({ emoji: z.string(), from: z.string(), timestamp: z.number() })).optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().nullable(),
      address: z.string().nullable(),
    })
    .optional(),
  contacts: z.array(z.string()).optional(),
  poll: z
    .object({
      name: z.string(),
      options: z.array(z.object({ name: z.string(), votes: z.number().int() })),
      selectableCount: z.number().int().nullable(),
    })
    .optional(),
  /** True once the contact's personal data was erased (`DELETE /privacy/contacts/:phone`); absent otherwise. */
  erased: z.literal(true).optional(),
});
export type MessageShape = z.infer<typeof messageShape>;

export const messagesReply = z.object({ messages: z.array(messageShape), total: z.number().int() });

export const statsReply = z.object({
  total: z.number().int(),
  connected: z.number().int(),
  disconnected: z.number().int(),
  sessions: z.array(z.object({ id: z.string(), status: connectionStatus })),
});
