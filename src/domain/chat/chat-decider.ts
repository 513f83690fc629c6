import type { Decider } from '../decider.js';
import { SessionNotConnectedError } from '../session/session-errors.js';
import type { ChatCommand } from './chat-commands.js';
import { EmptyMessageError, IdempotencyKeyReusedError, UnknownOutgoingMessageError } from './chat-errors.js';
import type { ChatEvent } from './chat-events.js';
import { initialChatState, type ChatState } from './chat-state.js';
import { ackMovesForward } from './message-ack.js';

export const chatDecider: Decider<ChatState, ChatCommand, ChatEvent> = {
  initialState: initialChatState,

  decide(command, state) {
    switch (command.type) {
      case 'RecordIncomingMessage': {
        const { message } = command;
        if (state.messages.has(message.waMessageId)) return [];
        return [{ type: 'MessageReceived', data: { ...message, chatJid: command.chatJid } }];
      }
      case 'RequestMessageSend': {
        if (command.idempotencyKey !== null) {
          const earlier = state.idempotencyKeys.get(command.idempotencyKey);
          if (earlier && earlier.requestHash !== command.requestHash)
            throw new IdempotencyKeyReusedError(command.idempotencyKey);
          if (earlier) return [];
        }
        if (!command.sessionConnected) throw new SessionNotConnectedError(command.sessionId);
        if (command.body.length === 0 && command.media === null) throw new EmptyMessageError();
        const { messageId, body, media, idempotencyKey, requestHash } = command;
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
            },
          },
        ];
      }
      case 'RecordSendAttempt': {
        const outgoing = requireOutgoing(state, command.messageId);
        if (outgoing.status !== 'requested' || command.attempt <= outgoing.attempts) return [];
        const data = {
          messageId: command.messageId,
          attempt: command.attempt,
          startedAt: command.startedAt.toISOString(),
        };
        return [{ type: 'MessageSendAttempted', data }];
      }
      case 'RecordMessageSent': {
        const outgoing = requireOutgoing(state, command.messageId);
        if (outgoing.status === 'sent') return [];
        const { messageId, waMessageId, timestamp } = command;
        // An ack WhatsApp reported before the send call returned is not lost.
        const known = state.messages.get(waMessageId)?.ack ?? null;
        const ack = known !== null && known > command.ack ? known : command.ack;
        return [{ type: 'MessageSent', data: { messageId, waMessageId, ack, timestamp } }];
      }
      case 'RecordSendFailure': {
        const outgoing = requireOutgoing(state, command.messageId);
        if (outgoing.status !== 'requested') return [];
        const { messageId, reason, attempt, final } = command;
        return [{ type: 'MessageSendFailed', data: { messageId, reason, attempt, final } }];
      }
      case 'RecordAck': {
        const known = state.messages.get(command.waMessageId);
        if (!ackMovesForward(known?.ack ?? null, command.ack)) return [];
        return [{ type: 'MessageAckChanged', data: { waMessageId: command.waMessageId, ack: command.ack } }];
      }
      case 'RecordRevoke':
        if (state.messages.get(command.waMessageId)?.revoked) return [];
        return [{ type: 'MessageRevoked', data: { waMessageId: command.waMessageId } }];
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
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'MessageReceived': {
        const messages = new Map(state.messages).set(event.data.waMessageId, { ack: null, revoked: false });
        return { ...state, messages, unread: event.data.fromMe ? state.unread : state.unread + 1 };
      }
      case 'MessageSendRequested': {
        const { messageId, idempotencyKey, requestHash, body, media } = event.data;
        const outgoing = new Map(state.outgoing).set(messageId, {
          status: 'requested',
          attempts: 0,
          attemptOpen: false,
          lastAttemptAt: null,
          body,
          media,
          waMessageId: null,
          idempotencyKey,
        });
        const idempotencyKeys =
          idempotencyKey === null
            ? state.idempotencyKeys
            : new Map(state.idempotencyKeys).set(idempotencyKey, { messageId, requestHash });
        return { ...state, outgoing, idempotencyKeys };
      }
      case 'MessageSendAttempted': {
        const previous = state.outgoing.get(event.data.messageId)!;
        const outgoing = new Map(state.outgoing).set(event.data.messageId, {
          ...previous,
          attempts: event.data.attempt,
          attemptOpen: true,
          lastAttemptAt: event.data.startedAt,
        });
        return { ...state, outgoing };
      }
      case 'MessageSent': {
        const previous = state.outgoing.get(event.data.messageId)!;
        const outgoing = new Map(state.outgoing).set(event.data.messageId, {
          ...previous,
          attemptOpen: false,
          status: 'sent',
          waMessageId: event.data.waMessageId,
        });
        const known = state.messages.get(event.data.waMessageId);
        const ack = known?.ack && known.ack > event.data.ack ? known.ack : event.data.ack;
        const messages = new Map(state.messages).set(event.data.waMessageId, {
          ack,
          revoked: known?.revoked ?? false,
        });
        return { ...state, outgoing, messages };
      }
      case 'MessageSendFailed': {
        const previous = state.outgoing.get(event.data.messageId)!;
        const status = event.data.final ? 'failed' : 'requested';
        const outgoing = new Map(state.outgoing).set(event.data.messageId, {
          ...previous,
          attemptOpen: false,
          status,
          attempts: event.data.attempt,
        });
        return { ...state, outgoing };
      }
      case 'MessageAckChanged': {
        const known = state.messages.get(event.data.waMessageId);
        const messages = new Map(state.messages).set(event.data.waMessageId, {
          ack: event.data.ack,
          revoked: known?.revoked ?? false,
        });
        return { ...state, messages };
      }
      case 'MessageRevoked': {
        const known = state.messages.get(event.data.waMessageId);
        const messages = new Map(state.messages).set(event.data.waMessageId, {
          ack: known?.ack ?? null,
          revoked: true,
        });
        return { ...state, messages };
      }
      case 'ChatRead':
        return { ...state, unread: 0 };
      case 'MessageEdited':
      case 'MessageReacted':
      case 'PollVoted':
        return state;
    }
  },
};

function requireOutgoing(state: ChatState, messageId: string) {
  const outgoing = state.outgoing.get(messageId);
  if (!outgoing) throw new UnknownOutgoingMessageError(messageId);
  return outgoing;
}
