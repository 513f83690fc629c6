import { describe, it } from 'vitest';
import {
  incoming,
  messageId,
  on,
  received,
  receive,
  sendRequest,
  sendRequested,
  waId,
} from '../../../test-support/chat-fixtures.js';
import { deciderSpec } from '../../../test-support/decider-spec.js';
import { chatDecider } from './chat-decider.js';
import { InvalidPollError } from './chat-errors.js';
import type { ChatCommand } from './chat-commands.js';
import type { ChatEvent } from './chat-events.js';
import { MessageAck } from './message-ack.js';

const given = deciderSpec(chatDecider);
const own = '5511999999999@c.us';
const theirs = incoming.waMessageId;

const poll = { name: 'Melhor dia?', options: ['Seg', 'Sex'], selectableCount: 1 };
const reactRequest = sendRequest({
  body: '👍',
  content: { action: { kind: 'react', waMessageId: theirs, emoji: '👍' } },
});
const reactRequested: ChatEvent = {
  type: 'MessageSendRequested',
  data: { ...sendRequested.data, body: '👍', action: { kind: 'react', waMessageId: theirs, emoji: '👍' } },
};
const reacted: Extract<ChatEvent, { type: 'MessageReacted' }> = {
  type: 'MessageReacted',
  data: { waMessageId: theirs, reactionId: messageId, from: own, emoji: '👍', timestamp: 1_700_000_002 },
};
const reactionSent = (effect: ChatEvent | null): ChatCommand => ({
  ...on,
  type: 'RecordMessageSent',
  messageId,
  waMessageId: theirs,
  ack: MessageAck.SERVER,
  timestamp: 1_700_000_002,
  action: { kind: 'react', effect: effect as Extract<ChatEvent, { type: 'MessageReacted' }> | null },
});
const sentAsAction: ChatEvent = {
  type: 'MessageSent',
  data: { messageId, waMessageId: theirs, ack: MessageAck.SERVER, timestamp: 1_700_000_002, action: 'react' },
};

describe('chat decider: conversations', () => {
  describe('sending', () => {
    it('records a reply and its mentions with the request', () =>
      given([])
        .when(sendRequest({ content: { quotedMessageId: theirs, mentions: [own] } }))
        .then([
          { ...sendRequested, data: { ...sendRequested.data, quotedMessageId: theirs, mentions: [own] } },
        ]));
    it('records a poll with no text of its own', () =>
      given([])
        .when(sendRequest({ body: '', content: { poll } }))
        .then([{ ...sendRequested, data: { ...sendRequested.data, body: '', poll } }]));
    it('refuses a poll with a single option', () =>
      given([])
        .when(sendRequest({ content: { poll: { ...poll, options: ['Seg'] } } }))
        .thenThrows(InvalidPollError));
    it('refuses a poll with the same option twice', () =>
      given([])
        .when(sendRequest({ content: { poll: { ...poll, options: ['Seg', 'Seg'] } } }))
        .thenThrows(InvalidPollError));
    it('refuses a poll with more selectable options than it has', () =>
      given([])
        .when(sendRequest({ content: { poll: { ...poll, selectableCount: 3 } } }))
        .thenThrows(InvalidPollError));
    it('records a reaction request, though its emoji may be empty', () =>
      given([])
        .when(
          sendRequest({ body: '', content: { action: { kind: 'react', waMessageId: theirs, emoji: '' } } }),
        )
        .then([
          {
            type: 'MessageSendRequested',
            data: {
              ...sendRequested.data,
              body: '',
              action: { kind: 'react', waMessageId: theirs, emoji: '' },
            },
          },
        ]));
    it('records a sent reaction with what it did', () =>
      given([received, reactRequested]).when(reactionSent(reacted)).then([sentAsAction, reacted]));
    it('records a reaction its echo settled without a second effect', () =>
      given([received, reactRequested]).when(reactionSent(null)).then([sentAsAction]));
    it('records a reaction request once', () =>
      given([received, reactRequested]).when(reactRequest).thenNothing());
    it('does not take the ack of a change for the ack of the message changed', () =>
      given([received, reactRequested, sentAsAction])
        .when({ ...on, type: 'RecordAck', waMessageId: theirs, ack: MessageAck.SERVER })
        .then([{ type: 'MessageAckChanged', data: { waMessageId: theirs, ack: MessageAck.SERVER } }]));
    it('does not record again a deletion the chat already shows', () => {
      const revoked: ChatEvent = { type: 'MessageRevoked', data: { waMessageId: theirs } };
      const revokeRequested: ChatEvent = {
        type: 'MessageSendRequested',
        data: { ...sendRequested.data, body: '', action: { kind: 'revoke', waMessageId: theirs } },
      };
      const revokeSent: ChatEvent = {
        type: 'MessageSent',
        data: { messageId, waMessageId: theirs, ack: MessageAck.SERVER, timestamp: 1, action: 'revoke' },
      };
      given([received, revokeRequested, revoked])
        .when({
          ...on,
          type: 'RecordMessageSent',
          messageId,
          waMessageId: theirs,
          ack: MessageAck.SERVER,
          timestamp: 1,
          action: { kind: 'revoke', effect: { type: 'MessageRevoked', data: { waMessageId: theirs } } },
        })
        .then([revokeSent]);
    });
  });

  describe('arriving out of order', () => {
    it('records a message whose deletion arrived first', () =>
      given([{ type: 'MessageRevoked', data: { waMessageId: theirs } }])
        .when(receive)
        .then([received]));
    it('records a message whose ack arrived first', () =>
      given([{ type: 'MessageAckChanged', data: { waMessageId: theirs, ack: MessageAck.READ } }])
        .when(receive)
        .then([received]));
    it('still records a message delivered twice once', () =>
      given([received, { type: 'MessageRevoked', data: { waMessageId: theirs } }])
        .when(receive)
        .thenNothing());
    it('does not take an echo of a message the gateway sent for a new message', () =>
      given([
        sendRequested,
        {
          type: 'MessageSent',
          data: { messageId, waMessageId: waId, ack: MessageAck.PENDING, timestamp: 1 },
        },
      ])
        .when({
          ...on,
          type: 'RecordIncomingMessage',
          message: { ...incoming, waMessageId: waId, fromMe: true },
        })
        .thenNothing());
  });
});
