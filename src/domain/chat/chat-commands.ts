import type { MessageAckValue } from './message-ack.js';
import type {
  ChatEvent,
  GroupAction,
  GroupParticipant,
  Media,
  MessageAction,
  OutgoingLocation,
  OutgoingPoll,
} from './chat-events.js';

type Received = Extract<ChatEvent, { type: 'MessageReceived' }>['data'];

/** What a send asks for besides text and media: a reply, mentions, a poll, a location, or a change to a message. */
export interface SendContent {
  quotedMessageId?: string | null;
  mentions?: string[];
  poll?: OutgoingPoll | null;
  location?: OutgoingLocation | null;
  action?: MessageAction | null;
}

/** What a change to a message did, once WhatsApp accepted it: recorded with the send, as WhatsApp shows it. */
export type ActionEffect = Extract<
  ChatEvent,
  { type: 'MessageReacted' | 'MessageEdited' | 'MessageRevoked' }
>;

/** What can be asked of one chat of one session. Record… commands are facts from WhatsApp or the outbox. */
export type ChatCommand = { sessionId: string; chatJid: string } & (
  | { type: 'RecordIncomingMessage'; message: Omit<Received, 'chatJid'> }
  | {
      type: 'RequestMessageSend';
      messageId: string;
      from: string | null;
      body: string;
      media: Media | null;
      idempotencyKey: string | null;
      requestHash: string | null;
      /** The session's connection as the caller saw it: sending needs a connected session. */
      sessionConnected: boolean;
      content?: SendContent;
    }
  | {
      type: 'RecordMessageSent';
      messageId: string;
      waMessageId: string;
      ack: MessageAckValue;
      timestamp: number;
      /** The send was a change to the message `waMessageId`, with what it did. */
      action?: { kind: MessageAction['kind']; effect: ActionEffect | null };
    }
  | { type: 'RecordSendAttempt'; messageId: string; attempt: number; startedAt: Date }
  | { type: 'RecordSendFailure'; messageId: string; reason: string; attempt: number; final: boolean }
  | { type: 'RecordAck'; waMessageId: string; ack: MessageAckValue }
  | { type: 'RecordRevoke'; waMessageId: string }
  | { type: 'MarkChatRead' }
  | { type: 'RecordEdit'; waMessageId: string; body: string; editedAt: number }
  | {
      type: 'RecordReaction';
      waMessageId: string;
      reactionId: string;
      from: string;
      emoji: string;
      timestamp: number;
    }
  | {
      type: 'RecordMediaDownloaded';
      waMessageId: string;
      sha256: string;
      size: number;
      mimetype: string;
      declaredMimetype: string | null;
    }
  | { type: 'RecordMediaDownloadFailed'; waMessageId: string; reason: string }
  | {
      type: 'RecordContactPicture';
      contactJid: string;
      phone: string;
      sha256: string;
      size: number;
      mimetype: string;
    }
  | { type: 'RecordContactName'; contactJid: string; phone: string; name: string }
  | { type: 'RecordMediaDeleted'; waMessageId: string; sha256: string; reason: string }
  | {
      type: 'RecordPollVote';
      waMessageId: string;
      from: string;
      selectedOptions: string[];
      timestamp: number;
    }
  /** What WhatsApp answered to the session's group commands (the chat is the group). */
  | {
      type: 'RecordGroupCreated';
      subject: string;
      description: string | null;
      participants: GroupParticipant[];
    }
  | { type: 'RecordGroupParticipantsUpdate'; action: GroupAction; participants: string[] }
  | { type: 'RecordGroupLeft' }
  | {
      type: 'RecordGroupSynced';
      subject: string | null;
      description: string | null;
      participants: GroupParticipant[];
    }
);
