import { z } from 'zod';

export const mediaSchema = z.object({
  mimetype: z.string().min(1),
  caption: z.string().nullable(),
  fileName: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  /** Where the file is kept (a URL or a path in the media store); null until it is stored. */
  location: z.string().nullable(),
  /** WhatsApp's keys to download an incoming file later from its servers (absent from older events). */
  mediaKey: z.string().nullable().optional(),
  directPath: z.string().nullable().optional(),
  deprecatedMms3Url: z.string().nullable().optional(),
});

/** What an incoming message carries besides its text; each field is optional, so earlier events still parse. */
const messageExtras = {
  /** A shared location: degrees, and the place's name or address. */
  location: z
    .object({ lat: z.number(), lng: z.number(), description: z.string().nullable() })
    .nullable()
    .optional(),
  /** The message this one replies to. */
  quotedMsgId: z.string().min(1).nullable().optional(),
  /** The ids mentioned with `@` in the text. */
  mentionedJidList: z.array(z.string().min(1)).optional(),
  /** Shared contacts, as vCards. */
  vcardList: z.array(z.object({ displayName: z.string().nullable(), vcard: z.string() })).optional(),
  /** A poll: its question, its options, and how many may be chosen (0: any number). */
  poll: z
    .object({ name: z.string(), options: z.array(z.string()), selectableCount: z.number().int().nullable() })
    .nullable()
    .optional(),
  /**
   * The sender's other id: its linked-device id (`…@lid`) when `from` is its phone JID, or nothing when the
   * phone was not known and `from` is the linked-device id itself.
   */
  senderLid: z.string().min(1).nullable().optional(),
};

/** A poll the gateway is asked to send: 2 to 12 distinct options, of which 1 to all may be chosen. */
export const outgoingPollSchema = z.object({
  name: z.string().min(1),
  options: z.array(z.string().min(1)),
  selectableCount: z.number().int(),
});

/** A location the gateway is asked to send, in degrees. */
export const outgoingLocationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().nullable(),
});

/** A change to a message already in the chat, asked through the outbox instead of a new message. */
export const messageActionSchema = z.discriminatedUnion('kind', [
  /** React to the message (an empty emoji takes the session's reaction back). */
  z.object({ kind: z.literal('react'), waMessageId: z.string().min(1), emoji: z.string() }),
  /** Replace the text of a message the session sent (the new text is the request's body). */
  z.object({ kind: z.literal('edit'), waMessageId: z.string().min(1) }),
  /** Delete a message the session sent, for everyone. */
  z.object({ kind: z.literal('revoke'), waMessageId: z.string().min(1) }),
]);

/** What a send request carries besides text and media; each field is optional, so earlier events still parse. */
const sendExtras = {
  /** The message this one replies to. */
  quotedMessageId: z.string().min(1).nullable().optional(),
  /** The ids mentioned with `@` in the text. */
  mentions: z.array(z.string().min(1)).optional(),
  poll: outgoingPollSchema.nullable().optional(),
  location: outgoingLocationSchema.nullable().optional(),
  action: messageActionSchema.nullable().optional(),
};

/** A member of a group, and whether it administers the group. */
export const groupParticipantSchema = z.object({
  /** Empty once the member is erased (README, "Privacy: crypto-shredding"). */
  jid: z.string(),
  isAdmin: z.boolean(),
});

/** What can be done to a group's members. */
export const groupActionSchema = z.enum(['add', 'remove', 'promote', 'demote']);

/** Delivery status on the gateway's scale (see message-ack.ts). */
const ack = z.literal([0, 1, 2, 3, 4, 5]);

/** Events of the `chat-<sessionId>_<jid>` stream, each with the schema of its payload (version 1). */
export const chatEventSchemas = {
  MessageReceived: z.object({
    waMessageId: z.string().min(1),
    chatJid: z.string().min(1),
    isGroup: z.boolean(),
    /** Sent by the session's own phone (not through the gateway). */
    fromMe: z.boolean(),
    /** A contact's id here is empty once the contact is erased (README, "Privacy: crypto-shredding"). */
    from: z.string(),
    to: z.string().min(1),
    senderName: z.string().nullable(),
    senderPhone: z.string().nullable(),
    chatName: z.string().nullable(),
    type: z.string().min(1),
    body: z.string(),
    media: mediaSchema.nullable(),
    /** WhatsApp's timestamp, Unix seconds. */
    timestamp: z.number().int().nonnegative(),
    ...messageExtras,
  }),
  MessageSendRequested: z.object({
    messageId: z.uuid(),
    chatJid: z.string().min(1),
    /** The session's own WhatsApp id when the request was made. */
    from: z.string().nullable(),
    body: z.string(),
    media: mediaSchema.nullable(),
    idempotencyKey: z.string().nullable(),
    /** A hash of the request, to tell a replay from a different request that reuses its key. */
    requestHash: z.string().nullable(),
    ...sendExtras,
  }),
  /** Recorded before WhatsApp is called, so that after a crash an attempt with no outcome is known. */
  MessageSendAttempted: z.object({
    messageId: z.uuid(),
    attempt: z.number().int().positive(),
    startedAt: z.iso.datetime(),
  }),
  MessageSent: z.object({
    messageId: z.uuid(),
    waMessageId: z.string().min(1),
    ack,
    timestamp: z.number().int().nonnegative(),
    /** The send was a change to the message `waMessageId` (a reaction, an edit, a deletion), not a new one. */
    action: z.enum(['react', 'edit', 'revoke']).optional(),
  }),
  MessageSendFailed: z.object({
    messageId: z.uuid(),
    reason: z.string().min(1),
    attempt: z.number().int().positive(),
    /** No further attempt will be made. */
    final: z.boolean(),
  }),
  MessageAckChanged: z.object({ waMessageId: z.string().min(1), ack }),
  MessageRevoked: z.object({ waMessageId: z.string().min(1) }),
  ChatRead: z.object({}),
  /** The sender changed a message's text. */
  MessageEdited: z.object({
    waMessageId: z.string().min(1),
    body: z.string(),
    /** When it was edited, Unix seconds. */
    editedAt: z.number().int().nonnegative(),
  }),
  /** Someone reacted to a message; an empty emoji takes their reaction back. */
  MessageReacted: z.object({
    waMessageId: z.string().min(1),
    /** The id of the reaction itself. */
    reactionId: z.string().min(1),
    /** Empty, with `emoji`, once the one who reacted is erased. */
    from: z.string(),
    emoji: z.string(),
    /** Unix seconds. */
    timestamp: z.number().int().nonnegative(),
  }),
  /** Someone voted in a poll (`waMessageId`); a later vote by the same person replaces theirs. */
  PollVoted: z.object({
    waMessageId: z.string().min(1),
    /** Empty, with `selectedOptions`, once the voter is erased. */
    from: z.string(),
    selectedOptions: z.array(z.string()),
    /** Unix seconds. */
    timestamp: z.number().int().nonnegative(),
  }),
  /** An incoming message's file was downloaded and kept, content-addressed (its type as the bytes show it). */
  MediaDownloaded: z.object({
    waMessageId: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
    mimetype: z.string().min(1),
    /** What WhatsApp declared, when the bytes showed another type. */
    declaredMimetype: z.string().min(1).nullable(),
  }),
  /** An incoming message's file could not be kept, for good (too large, gone from WhatsApp's servers …). */
  MediaDownloadFailed: z.object({ waMessageId: z.string().min(1), reason: z.string().min(1) }),
  /**
   * The contact's profile picture as WhatsApp showed it, kept content-addressed (recorded on the contact's own
   * chat when it is first seen or changed).
   */
  ContactPictureKept: z.object({
    contactJid: z.string().min(1),
    /**
     * What names the contact's Clients row: its number, or its linked-device id (`…@lid`) while WhatsApp hides
     * the number.
     */
    phone: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
    mimetype: z.string().min(1),
  }),
  /** The name the session's phone keeps for the contact in its contact list (asked when messages carry none). */
  ContactNamed: z.object({
    contactJid: z.string().min(1),
    /** As in ContactPictureKept. */
    phone: z.string().min(1),
    /** Empty once the contact is erased. */
    name: z.string(),
  }),
  /**
   * A kept file of a message was deleted for good (MEDIA_RETENTION_DAYS); the message stays, without it.
   */
  MediaDeleted: z.object({ waMessageId: z.string().min(1), sha256: z.string(), reason: z.string().min(1) }),
  /** The session created this group through the gateway; WhatsApp answered with its id and its members. */
  GroupCreated: z.object({
    subject: z.string().min(1),
    description: z.string().nullable(),
    participants: z.array(groupParticipantSchema),
  }),
  /**
   * The session added, removed, promoted or demoted members of this group through the gateway: WhatsApp accepted
   * the change for these participants.
   */
  GroupParticipantsUpdated: z.object({
    action: groupActionSchema,
    /** A member's id is empty once that member is erased. */
    participants: z.array(z.string()).min(1),
  }),
  /**
   * The session left this group: through the gateway, or WhatsApp reported it removed from (or leaving) the group.
   */
  GroupLeft: z.object({}),
  /**
   * What WhatsApp's list of the session's groups, read when the session connected, says of this group where it
   * differed from what the gateway knew: its subject, description and members replace those known.
   */
  GroupSynced: z.object({
    subject: z.string().nullable(),
    description: z.string().nullable(),
    participants: z.array(groupParticipantSchema),
  }),
  /**
   * The chat's contact was erased (README, "Privacy: crypto-shredding"): its key is destroyed, and the read
   * models drop the chat's personal data. The stream's name says which chat; the data names no one.
   */
  ChatErased: z.object({
    /**
     * The erased contact's keyed hash (domain/privacy/contact-hash.ts; absent from erasures before it was kept):
     * the log lines it scrubs keep it, so that a later erasure or mapping still finds which contact they named.
     */
    contactHash: z.string().optional(),
  }),
} as const;

type Schemas = typeof chatEventSchemas;
export type ChatEventType = keyof Schemas;
export type ChatEvent = { [T in ChatEventType]: { type: T; data: z.infer<Schemas[T]> } }[ChatEventType];
export type Media = z.infer<typeof mediaSchema>;
export type OutgoingPoll = z.infer<typeof outgoingPollSchema>;
export type OutgoingLocation = z.infer<typeof outgoingLocationSchema>;
export type MessageAction = z.infer<typeof messageActionSchema>;
export type GroupParticipant = z.infer<typeof groupParticipantSchema>;
export type GroupAction = z.infer<typeof groupActionSchema>;
