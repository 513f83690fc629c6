import { describe, it } from 'vitest';
import {
  chatJid,
  on,
  messageId,
  incoming,
  received,
  receive,
  sendRequest,
  sendRequested,
  waId,
  sent,
  ack,
  ackChanged,
} from '../../../test-support/chat-fixtures.js';
import { deciderSpec } from '../../../test-support/decider-spec.js';
import { SessionNotConnectedError } from '../session/session-errors.js';
import { chatDecider } from './chat-decider.js';
import { EmptyMessageError, UnknownOutgoingMessageError } from './chat-errors.js';
import { MessageAck } from './message-ack.js';

const given = deciderSpec(chatDecider);

describe('chat decider', () => {
  describe('incoming messages', () => {
    it('records a received message', () => given([]).when(receive).then([received]));
    it('records a message WhatsApp delivers twice once', () => given([received]).when(receive).thenNothing());
    it('marks a chat with unread messages read', () =>
      given([received])
        .when({ ...on, type: 'MarkChatRead' })
        .then([{ type: 'ChatRead', data: {} }]));
    it('does nothing when a read chat is read again', () =>
      given([received, { type: 'ChatRead', data: {} }])
        .when({ ...on, type: 'MarkChatRead' })
        .thenNothing());
    it('does not count own messages from the phone as unread', () =>
      given([{ type: 'MessageReceived', data: { ...incoming, fromMe: true, chatJid } }])
        .when({ ...on, type: 'MarkChatRead' })
        .thenNothing());
  });

  describe('sending', () => {
    it('requests a send on a connected session', () => given([]).when(sendRequest()).then([sendRequested]));
    it('refuses to send on a session that is not connected', () =>
      given([])
        .when(sendRequest({ sessionConnected: false }))
        .thenThrows(SessionNotConnectedError));
    it('refuses a message with neither text nor media', () =>
      given([])
        .when(sendRequest({ body: '' }))
        .thenThrows(EmptyMessageError));
    // The idempotency table gives a replay the first request's message id (and refuses a different request).
    it('treats a replay of a send still open as already done', () =>
      given([sendRequested]).when(sendRequest()).thenNothing());
    it('treats a replay of a settled send as already done, even once the session is disconnected', () =>
      given([sendRequested, sent])
        .when(sendRequest({ sessionConnected: false }))
        .thenNothing());
    it('sends again under an idempotency key claimed anew after its purge (a new message id)', () =>
      given([sendRequested, sent])
        .when(sendRequest({ messageId: 'claimed-again', requestHash: 'hash-2', body: 'De novo' }))
        .then([
          {
            type: 'MessageSendRequested',
            data: {
              ...sendRequested.data,
              messageId: 'claimed-again',
              requestHash: 'hash-2',
              body: 'De novo',
            },
          },
        ]));
    it('records that WhatsApp accepted the message', () =>
      given([sendRequested])
        .when({
          ...on,
          type: 'RecordMessageSent',
          messageId,
          waMessageId: waId,
          ack: MessageAck.PENDING,
          timestamp: 1_700_000_001,
        })
        .then([sent]));
    it('keeps an ack that arrived before WhatsApp confirmed the send', () =>
      given([sendRequested, ackChanged(3)])
        .when({
          ...on,
          type: 'RecordMessageSent',
          messageId,
          waMessageId: waId,
          ack: MessageAck.PENDING,
          timestamp: 1_700_000_001,
        })
        .then([
          { type: 'MessageSent', data: { messageId, waMessageId: waId, ack: 3, timestamp: 1_700_000_001 } },
        ]));
    it('records the acceptance once', () =>
      given([sendRequested, sent])
        .when({
          ...on,
          type: 'RecordMessageSent',
          messageId,
          waMessageId: waId,
          ack: MessageAck.PENDING,
          timestamp: 1,
        })
        .thenNothing());
    it('does not record an outcome for a message nobody asked to send', () =>
      given([])
        .when({ ...on, type: 'RecordSendFailure', messageId, reason: 'x', attempt: 1, final: true })
        .thenThrows(UnknownOutgoingMessageError));
    it('records a transient failure, then a retry can still succeed', () =>
      given([
        sendRequested,
        { type: 'MessageSendFailed', data: { messageId, reason: 'timeout', attempt: 1, final: false } },
      ])
        .when({
          ...on,
          type: 'RecordMessageSent',
          messageId,
          waMessageId: waId,
          ack: MessageAck.PENDING,
          timestamp: 1_700_000_001,
        })
        .then([sent]));
    it('records an attempt before WhatsApp is called, once per attempt number', () =>
      given([sendRequested])
        .when({
          ...on,
          type: 'RecordSendAttempt',
          messageId,
          attempt: 1,
          startedAt: new Date('2026-01-01T00:00:00Z'),
        })
        .then([
          {
            type: 'MessageSendAttempted',
            data: { messageId, attempt: 1, startedAt: '2026-01-01T00:00:00.000Z' },
          },
        ]));
    it('does not record an attempt for a message already sent', () =>
      given([sendRequested, sent])
        .when({ ...on, type: 'RecordSendAttempt', messageId, attempt: 2, startedAt: new Date() })
        .thenNothing());
    it('records nothing after a final failure', () =>
      given([
        sendRequested,
        {
          type: 'MessageSendFailed',
          data: { messageId, reason: 'not on WhatsApp', attempt: 1, final: true },
        },
      ])
        .when({ ...on, type: 'RecordSendFailure', messageId, reason: 'again', attempt: 2, final: true })
        .thenNothing());
  });

  describe('acks', () => {
    it('moves the status forward', () =>
      given([sendRequested, sent])
        .when(ack(MessageAck.DEVICE))
        .then([ackChanged(3)]));
    it('never moves the status backwards', () =>
      given([sendRequested, sent, ackChanged(4)])
        .when(ack(MessageAck.DEVICE))
        .thenNothing());
    it('still moves forward after a later ack arrived first', () =>
      given([sendRequested, sent, ackChanged(4)])
        .when(ack(MessageAck.PLAYED))
        .then([ackChanged(5)]));
    it('records an ack for a message sent from the phone before the gateway saw it', () =>
      given([])
        .when(ack(MessageAck.SERVER))
        .then([ackChanged(2)]));
  });

  describe('revoking', () => {
    it('records a revoked message', () =>
      given([received])
        .when({ ...on, type: 'RecordRevoke', waMessageId: incoming.waMessageId })
        .then([{ type: 'MessageRevoked', data: { waMessageId: incoming.waMessageId } }]));
    it('records a revoke once', () =>
      given([received, { type: 'MessageRevoked', data: { waMessageId: incoming.waMessageId } }])
        .when({ ...on, type: 'RecordRevoke', waMessageId: incoming.waMessageId })
        .thenNothing());
  });

  describe('what else WhatsApp reports', () => {
    it('keeps what a message carries besides its text', () => {
      const located = {
        ...incoming,
        type: 'location',
        body: '',
        location: { lat: -23.55, lng: -46.63, description: 'Praça da Sé' },
        quotedMsgId: 'true_5511988887777@c.us_3EB0Q',
        mentionedJidList: ['5511966665555@c.us'],
        senderLid: '179950657237125@lid',
      };
      return given([])
        .when({ ...on, type: 'RecordIncomingMessage', message: located })
        .then([{ type: 'MessageReceived', data: { ...located, chatJid } }]);
    });
    it('records an edit', () =>
      given([received])
        .when({
          ...on,
          type: 'RecordEdit',
          waMessageId: incoming.waMessageId,
          body: 'Oi!',
          editedAt: 1_700_000_100,
        })
        .then([
          {
            type: 'MessageEdited',
            data: { waMessageId: incoming.waMessageId, body: 'Oi!', editedAt: 1_700_000_100 },
          },
        ]));
    it('records a reaction', () => {
      const reaction = {
        waMessageId: waId,
        reactionId: 'false_5511988887777@c.us_3EB0R',
        from: chatJid,
        emoji: '👍',
        timestamp: 1_700_000_200,
      };
      return given([])
        .when({ ...on, type: 'RecordReaction', ...reaction })
        .then([{ type: 'MessageReacted', data: reaction }]);
    });
    it('records a poll vote', () => {
      const vote = { waMessageId: waId, from: chatJid, selectedOptions: ['Sim'], timestamp: 1_700_000_300 };
      return given([])
        .when({ ...on, type: 'RecordPollVote', ...vote })
        .then([{ type: 'PollVoted', data: vote }]);
    });
  });
});
