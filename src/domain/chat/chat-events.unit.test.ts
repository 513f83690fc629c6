import { describe, expect, it } from 'vitest';
import { parseEvent } from '../event-stream.js';
import { chatStream } from './chat-stream.js';

/** A MessageReceived as stored before messages carried locations, replies, polls and download keys. */
const earlier = {
  waMessageId: 'false_5511977776666@c.us_3EB0C3',
  chatJid: '5511977776666@c.us',
  isGroup: false,
  fromMe: false,
  from: '5511977776666@c.us',
  to: '5511900001111@c.us',
  senderName: 'Ana',
  senderPhone: '5511977776666',
  chatName: null,
  type: 'image',
  body: 'look',
  media: { mimetype: 'image/jpeg', caption: 'look', fileName: null, size: 52_311, location: null },
  timestamp: 1_700_000_003,
};

describe('chat events', () => {
  it('still reads a MessageReceived stored before the optional fields existed', () =>
    expect(parseEvent(chatStream, 'MessageReceived', earlier).data).toEqual(earlier));

  it('reads a MessageReceived with a location, a reply, a poll and download keys', () => {
    const later = {
      ...earlier,
      media: { ...earlier.media, mediaKey: 'q1Zk=', directPath: '/v/t62/x.enc', deprecatedMms3Url: null },
      location: { lat: -23.55, lng: -46.63, description: null },
      quotedMsgId: 'true_5511977776666@c.us_3EB0C4',
      mentionedJidList: ['5511966665555@c.us'],
      vcardList: [{ displayName: 'Bruno', vcard: 'BEGIN:VCARD\nEND:VCARD' }],
      poll: { name: 'Almoço?', options: ['Sim', 'Não'], selectableCount: 1 },
      senderLid: '179950657237125@lid',
    };
    expect(parseEvent(chatStream, 'MessageReceived', later).data).toEqual(later);
  });
});
