import type { Decider } from '../decider.js';
import { SessionNotConnectedError } from '../session/session-errors.js';
import type { ChatCommand, SendContent } from './chat-commands.js';
import { EmptyMessageError, UnknownOutgoingMessageError } from './chat-errors.js';
import { checkPoll } from './outgoing-poll.js';
import { recordGroupChange } from './group-changes.js';
import type { ChatEvent } from './chat-events.js';
import {
  appendBounded,
  findKnownMessage,
  findOpenSend,
  findSettledSend,
  initialChatState,
  withKnownMessage,
  type ChatState,
} from './chat-state.js';
import { ackMovesForward } from './message-ack.js';

type Command<T extends ChatCommand['type']> = Extract<ChatCommand, { type: T }>;
type Event<T extends ChatEvent['type']> = Extract<ChatEvent, { type: T }>;

export const chatDecider: Decider<ChatState, ChatCommand, ChatEvent> = {
  initialState: initialChatState,

  decide(command, state) {
    switch (command.type) {
      case 'RecordIncomingMessage':
        return recordIncoming(command, state);
      case 'RequestMessageSend':
        return requestSend(command, state);
      case 'RecordSendAttempt':
        return recordAttempt(command, state);
      case 'RecordMessageSent':
        return recordSent(command, state);
      case 'RecordSendFailure':
        return recordFailure(command, state);
      case 'RecordAck':
        return recordAck(command, state);
      case 'RecordRevoke':
        return findKnownMessage(state, command.waMessageId)?.revoked
          ? []
          : [{ type: 'MessageRevoked', data: { waMessageId: command.waMessageId } }];
      case 'MarkChatRead':
        return state.unread > 0 ? [{ type: 'ChatRead', data: {} }] : [];
      // Edits, reactions and votes are facts as WhatsApp reports them; a repeated report is the same event id.
      case 'RecordEdit': {
        const { waMessageId, body, editedAt } = command;
        return [{ type: 'MessageEdited', data: { waMessageId, body, editedAt } }];
      }
      case 'RecordReaction': {
        const { waMessageId, reactionId, from, emoji, timestamp } = command;
        return [{ type: 'MessageReacted', data: { waMessageId, reactionId, from, emoji, timestamp } }];
      }
      case 'RecordPollVote': {
        const { waMessageId, from, selectedOptions, timestamp } = command;
        return [{ type: 'PollVoted', data: { waMessageId, from, selectedOptions, timestamp } }];
      }
      case 'RecordMediaDownloaded': {
        const { waMessageId, sha256, size, mimetype, declaredMimetype } = command;
        return [{ type: 'MediaDownloaded', data: { waMessageId, sha256, size, mimetype, declaredMimetype } }];
      }
      case 'RecordMediaDownloadFailed':
        return [
          { type: 'MediaDownloadFailed', data: { waMessageId: command.waMessageId, reason: command.reason } },
        ];
      // A contact's picture, name and a file's deletion are facts the gateway observed; the caller records each
      // once (by its fact key), only when it changed.
      case 'RecordContactPicture': {
        const { contactJid, phone, sha256, size, mimetype } = command;
        return [{ type: 'ContactPictureKept', data: { contactJid, phone, sha256, size, mimetype } }];
      }
      case 'RecordContactName': {
        const { contactJid, phone, name } = command;
        return [{ type: 'ContactNamed', data: { contactJid, phone, name } }];
      }
      case 'RecordMediaDeleted': {
        const { waMessageId, sha256, reason } = command;
        return [{ type: 'MediaDeleted', data: { waMessageId, sha256, reason } }];
      }
      case 'RecordGroupCreated':
      case 'RecordGroupParticipantsUpdate':
      case 'RecordGroupLeft':
      case 'RecordGroupSynced':
        return recordGroupChange(command);
      default: {
        const unhandled: never = command;
        throw new UnknownChatCommandError(unhandled);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'MessageReceived':
        return {
          ...state,
          recentMessages: withKnownMessage(state, event.data.waMessageId, (known) => ({
            ...known,
            recorded: true,
          })),
          unread: event.data.fromMe ? state.unread : state.unread + 1,
        };
      case 'MessageSendRequested':
        return {
          ...state,
          openSends: [
            ...state.openSends,
            { messageId: event.data.messageId, attempts: 0, attemptOpen: false, lastAttemptAt: null },
          ],
        };
      case 'MessageSendAttempted':
        return {
          ...state,
          openSends: state.openSends.map((send) =>
            send.messageId === event.data.messageId
              ? {
                  ...send,
                  attempts: event.data.attempt,
                  attemptOpen: true,
                  lastAttemptAt: event.data.startedAt,
                }
              : send,
          ),
        };
      case 'MessageSent':
        return evolveSent(state, event);
      case 'MessageSendFailed':
        return event.data.final
          ? settle(state, event.data.messageId, 'failed')
          : {
              ...state,
              openSends: state.openSends.map((send) =>
                send.messageId === event.data.messageId
                  ? { ...send, attempts: event.data.attempt, attemptOpen: false }
                  : send,
              ),
            };
      case 'MessageAckChanged':
        return {
          ...state,
          recentMessages: withKnownMessage(state, event.data.waMessageId, (known) => ({
            ...known,
            ack: event.data.ack,
          })),
        };
      case 'MessageRevoked':
        return {
          ...state,
          recentMessages: withKnownMessage(state, event.data.waMessageId, (known) => ({
            ...known,
            revoked: true,
          })),
        };
      case 'ChatRead':
        return { ...state, unread: 0 };
      case 'MessageEdited':
      case 'MessageReacted':
      case 'PollVoted':
      case 'MediaDownloaded':
      case 'MediaDownloadFailed':
      case 'ContactPictureKept':
      case 'ContactNamed':
      case 'MediaDeleted':
      case 'GroupCreated':
      case 'GroupParticipantsUpdated':
      case 'GroupLeft':
      case 'GroupSynced':
      case 'ChatErased':
        return state;
    }
  },
};

function recordIncoming(command: Command<'RecordIncomingMessage'>, state: ChatState): ChatEvent[] {
  const { message } = command;
  // A deletion or an ack may arrive before the message: it is recorded all the same, once.
  const known = findKnownMessage(state, message.waMessageId);
  if (known && known.recorded !== false) return [];
  return [{ type: 'MessageReceived', data: { ...message, chatJid: command.chatJid } }];
}

function requestSend(command: Command<'RequestMessageSend'>, state: ChatState): ChatEvent[] {
  const { messageId, body, media, idempotencyKey, requestHash } = command;
  // The same message asked again (a replayed idempotency key): it is already recorded.
  if (findOpenSend(state, messageId) || findSettledSend(state, messageId)) return [];
  if (!command.sessionConnected) throw new SessionNotConnectedError(command.sessionId);
  const content = command.content ?? {};
  if (content.poll) checkPoll(content.poll);
  const carriesNoText = media !== null || !!content.poll || !!content.location || !!content.action;
  if (body.length === 0 && !carriesNoText) throw new EmptyMessageError();
  return [
    {
      type: 'MessageSendRequested',
      data: {
        messageId,
        chatJid: command.chatJid,
        from: command.from,
        body,
        media,
        idempotencyKey,
        requestHash,
        ...sendExtras(content),
      },
    },
  ];
}

/** Only the extras a request has, so that a plain text's event reads as it always did. */
function sendExtras(content: SendContent) {
  const { quotedMessageId, mentions, poll, location, action } = content;
  return {
    ...(quotedMessageId ? { quotedMessageId } : {}),
    ...(mentions?.length ? { mentions } : {}),
    ...(poll ? { poll } : {}),
    ...(location ? { location } : {}),
    ...(action ? { action } : {}),
  };
}

function recordAttempt(command: Command<'RecordSendAttempt'>, state: ChatState): ChatEvent[] {
  const open = findOpenSend(state, command.messageId);
  if (!open) return settledOrUnknown(state, command.messageId);
  if (command.attempt <= open.attempts) return [];
  const data = {
    messageId: command.messageId,
    attempt: command.attempt,
    startedAt: command.startedAt.toISOString(),
  };
  return [{ type: 'MessageSendAttempted', data }];
}

function recordSent(command: Command<'RecordMessageSent'>, state: ChatState): ChatEvent[] {
  const { messageId, waMessageId, timestamp } = command;
  const settled = findSettledSend(state, messageId);
  if (settled?.status === 'sent') return [];
  if (!settled && !findOpenSend(state, messageId)) throw new UnknownOutgoingMessageError(messageId);
  // An ack WhatsApp reported before the send call returned is not lost.
  if (command.action) {
    // A change to a message: `waMessageId` is the message changed, whose own acks are not this send's.
    const { kind, effect } = command.action;
    const sentEvent: ChatEvent = {
      type: 'MessageSent',
      data: { messageId, waMessageId, ack: command.ack, timestamp, action: kind },
    };
    return effect && !alreadyRevoked(state, effect) ? [sentEvent, effect] : [sentEvent];
  }
  const known = findKnownMessage(state, waMessageId)?.ack ?? null;
  const ack = known !== null && known > command.ack ? known : command.ack;
  return [{ type: 'MessageSent', data: { messageId, waMessageId, ack, timestamp } }];
}

const alreadyRevoked = (state: ChatState, effect: ChatEvent): boolean =>
  effect.type === 'MessageRevoked' && !!findKnownMessage(state, effect.data.waMessageId)?.revoked;

function recordFailure(command: Command<'RecordSendFailure'>, state: ChatState): ChatEvent[] {
  if (!findOpenSend(state, command.messageId)) return settledOrUnknown(state, command.messageId);
  const { messageId, reason, attempt, final } = command;
  return [{ type: 'MessageSendFailed', data: { messageId, reason, attempt, final } }];
}

function recordAck(command: Command<'RecordAck'>, state: ChatState): ChatEvent[] {
  const known = findKnownMessage(state, command.waMessageId);
  if (!ackMovesForward(known?.ack ?? null, command.ack)) return [];
  return [{ type: 'MessageAckChanged', data: { waMessageId: command.waMessageId, ack: command.ack } }];
}

function settledOrUnknown(state: ChatState, messageId: string): ChatEvent[] {
  if (findSettledSend(state, messageId)) return [];
  throw new UnknownOutgoingMessageError(messageId);
}

function evolveSent(state: ChatState, event: Event<'MessageSent'>): ChatState {
  const settled = settle(state, event.data.messageId, 'sent');
  // A change to a message: the message changed keeps its own delivery status.
  if (event.data.action) return settled;
  return {
    ...settled,
    recentMessages: withKnownMessage(settled, event.data.waMessageId, (known) => ({
      ...known,
      ack: known.ack !== null && known.ack > event.data.ack ? known.ack : event.data.ack,
      recorded: true,
    })),
  };
}

function settle(state: ChatState, messageId: string, status: 'sent' | 'failed'): ChatState {
  return {
    ...state,
    openSends: state.openSends.filter((send) => send.messageId !== messageId),
    settledSends: appendBounded(state.settledSends, { messageId, status }),
  };
}

export class UnknownChatCommandError extends Error {
  override readonly name = 'UnknownChatCommandError';

  constructor(readonly command: unknown) {
    super(`No chat command is called ${(command as { type?: unknown }).type as string}`);
  }
}
