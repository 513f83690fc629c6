import { describe, expect, it } from 'vitest';
import { contactOfStream } from './contact-of-stream.js';
import { contactPhone } from './contact-phone.js';
import { InvalidContactPhoneError } from './privacy-errors.js';
import { erasedData, mergePersonal, splitPersonal } from './sealed-data.js';

const received = {
  waMessageId: 'w1',
  chatJid: '5511988887777@c.us',
  from: '5511988887777@c.us',
  senderName: 'João',
  body: 'meu CPF é 123',
  media: { mimetype: 'image/png', caption: 'RG', fileName: 'rg.png', size: 10, location: null },
  timestamp: 1,
};

describe('personal fields of an event', () => {
  it('takes the personal fields out, media ones included, and leaves what the gateway routes by', () => {
    const split = splitPersonal('MessageReceived', received)!;
    expect(split.personal).toEqual({
      from: '5511988887777@c.us',
      body: 'meu CPF é 123',
      senderName: 'João',
      'media.caption': 'RG',
      'media.fileName': 'rg.png',
      'media.location': null,
    });
    expect(split.clear).toEqual({
      waMessageId: 'w1',
      chatJid: '5511988887777@c.us',
      media: { mimetype: 'image/png', size: 10 },
      timestamp: 1,
    });
  });

  it('puts them back as they were', () => {
    const { clear, personal } = splitPersonal('MessageReceived', received)!;
    expect(mergePersonal(clear, personal)).toEqual(received);
  });

  it("keeps the session's own id clear: a message from its own phone names no contact as sender", () => {
    const own = { ...received, fromMe: true, from: '5511911112222@c.us', senderPhone: '5511911112222' };
    const split = splitPersonal('MessageReceived', own)!;
    expect(split.clear).toMatchObject({ from: '5511911112222@c.us', senderPhone: '5511911112222' });
    expect(split.personal).not.toHaveProperty('from');
  });

  it('seals who reacted or voted, and a name from the contact list', () => {
    const reaction = {
      waMessageId: 'w1',
      reactionId: 'r1',
      from: '5511988887777@c.us',
      emoji: '👍',
      timestamp: 1,
    };
    expect(splitPersonal('MessageReacted', reaction)).toEqual({
      clear: { waMessageId: 'w1', reactionId: 'r1', timestamp: 1 },
      personal: { from: '5511988887777@c.us', emoji: '👍' },
    });
    const vote = { waMessageId: 'w1', from: '5511988887777@c.us', selectedOptions: ['Sim'], timestamp: 1 };
    expect(splitPersonal('PollVoted', vote)!.clear).toEqual({ waMessageId: 'w1', timestamp: 1 });
    const named = { contactJid: '5511988887777@c.us', phone: '5511988887777', name: 'João' };
    expect(splitPersonal('ContactNamed', named)!.personal).toEqual({ name: 'João' });
    expect(erasedData('ContactNamed', { phone: '5511988887777' }, ['name'])).toMatchObject({ name: '' });
  });

  it('has nothing to seal in events without personal fields', () => {
    expect(splitPersonal('MessageAckChanged', { waMessageId: 'w1', ack: 3 })).toBeUndefined();
  });

  it('reads erased fields as their schema allows, and marks the event erased', () => {
    const { clear, personal } = splitPersonal('MessageReceived', received)!;
    expect(erasedData('MessageReceived', clear, Object.keys(personal))).toEqual({
      ...received,
      from: '',
      body: '',
      senderName: null,
      media: { mimetype: 'image/png', caption: null, fileName: null, size: 10, location: null },
      erased: true,
    });
    expect(erasedData('PollVoted', { waMessageId: 'w1' }, ['selectedOptions'])).toMatchObject({
      selectedOptions: [],
    });
  });
});

describe('whose key seals a stream', () => {
  it('is the phone of a one-to-one chat, the group or linked-device id otherwise, nobody outside chats', () => {
    expect(contactOfStream('chat-5f0c_5511988887777@c.us')).toBe('5511988887777');
    expect(contactOfStream('chat-5f0c_120363025246125486@g.us')).toBe('group:120363025246125486@g.us');
    expect(contactOfStream('chat-5f0c_123456789@lid')).toBe('lid:123456789@lid');
    expect(contactOfStream('session-5f0c')).toBeUndefined();
  });
});

describe('a contact phone number', () => {
  it('accepts digits in international format, with + or @c.us', () => {
    for (const input of ['5511988887777', '+5511988887777', '5511988887777@c.us'])
      expect(contactPhone(input)).toBe('5511988887777');
  });

  it('refuses anything else', () => {
    for (const input of ['abc', '12', '05511988887777', '120363025246125486@g.us', '5511 98888'])
      expect(() => contactPhone(input), input).toThrow(InvalidContactPhoneError);
  });
});
