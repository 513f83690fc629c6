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
      body: 'meu CPF é 123',
      senderName: 'João',
      'media.caption': 'RG',
      'media.fileName': 'rg.png',
      'media.location': null,
    });
    expect(split.clear).toEqual({
      waMessageId: 'w1',
      chatJid: '5511988887777@c.us',
      from: '5511988887777@c.us',
      media: { mimetype: 'image/png', size: 10 },
      timestamp: 1,
    });
  });

  it('puts them back as they were', () => {
    const { clear, personal } = splitPersonal('MessageReceived', received)!;
    expect(mergePersonal(clear, personal)).toEqual(received);
  });

  it('has nothing to seal in events without personal fields', () => {
    expect(splitPersonal('MessageAckChanged', { waMessageId: 'w1', ack: 3 })).toBeUndefined();
  });

  it('reads erased fields as their schema allows, and marks the event erased', () => {
    const { clear, personal } = splitPersonal('MessageReceived', received)!;
    expect(erasedData('MessageReceived', clear, Object.keys(personal))).toEqual({
      ...received,
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
