import { describe, expect, it, vi } from 'vitest';
import { useFakeWppconnect } from './fake-wppconnect.js';

/** A text from a contact, as WPPConnect 2.3.3 serializes it: string ids, no `chat`. */
const text = (id: string, body: string, extra: Record<string, unknown> = {}) => ({
  id: `false_5511977776666@c.us_${id}`,
  type: 'chat',
  body,
  t: 1_765_717_960,
  from: '5511977776666@c.us',
  to: '5511900001111@c.us',
  chatId: '5511977776666@c.us',
  fromMe: false,
  isGroupMsg: false,
  sender: { id: '5511977776666@c.us', pushname: 'Ana' },
  ...extra,
});

describe('WPPConnect driver: what arrives, as WhatsApp really sends it', () => {
  const { started, setUp } = useFakeWppconnect();

  it('keeps the decrypted copy of a message that first arrived as ciphertext', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('message', text('3A1F6C0E9B2D4E5F6A7B', '', { type: 'ciphertext' }));
    wpp.client.play('message', text('3A1F6C0E9B2D4E5F6A7B', 'Oi, tudo bem?'));
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(seen.messages[0]).toMatchObject({ type: 'chat', body: 'Oi, tudo bem?' });
    await session.stop();
  });

  it('records no status (story), and no channel post unless told to', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('message', {
      ...text('3EB0STORY', 'minha viagem'),
      from: 'status@broadcast',
      chatId: 'status@broadcast',
      author: '5511977776666@c.us',
      isStatusV3: true,
    });
    wpp.client.play('message', {
      ...text('3EB0NEWS', 'news'),
      id: 'false_120363111111111111@newsletter_3EB0NEWS',
      from: '120363111111111111@newsletter',
      chatId: '120363111111111111@newsletter',
    });
    wpp.client.play('message', text('3EB0AFTER', 'after'));
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(seen.messages[0]?.body).toBe('after');
    await session.stop();
  });

  it('keeps channel posts, or drops broadcast list messages, when the channels option says so', async () => {
    const { wpp, seen, start } = setUp('resolve', 5000, 5000, {
      channels: { newsletters: true, broadcastLists: false },
    });
    wpp.release();
    const session = await start();
    wpp.client.play('message', {
      ...text('3EB0LIST', 'promo'),
      id: 'true_1765700000@broadcast_3EB0LIST',
      from: '5511900001111@c.us',
      chatId: '1765700000@broadcast',
      fromMe: true,
    });
    wpp.client.play('message', {
      ...text('3EB0NEWS', 'news'),
      id: 'false_120363111111111111@newsletter_3EB0NEWS',
      from: '120363111111111111@newsletter',
      chatId: '120363111111111111@newsletter',
    });
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(seen.messages[0]?.chatJid).toBe('120363111111111111@newsletter');
    await session.stop();
  });

  it('reads an ack whose key carries `$1` in place of `_serialized`', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('ack', {
      ack: 3,
      id: {
        fromMe: true,
        remote: '5511977776666@c.us',
        id: '3EB0C4F1A2B3C4D5E6F7',
        $1: 'true_5511977776666@c.us_3EB0C4F1A2B3C4D5E6F7',
      },
    });
    wpp.client.play('ack', {
      ack: 2,
      id: { fromMe: true, remote: '5511977776666@c.us', id: '3EB0C4F1A2B3C4D5E6F8' },
    });
    await vi.waitFor(() => expect(seen.ackChanges).toHaveLength(2));
    expect(seen.ackChanges).toEqual([
      { waMessageId: 'true_5511977776666@c.us_3EB0C4F1A2B3C4D5E6F7', chatJid: '5511977776666@c.us', ack: 4 },
      { waMessageId: 'true_5511977776666@c.us_3EB0C4F1A2B3C4D5E6F8', chatJid: '5511977776666@c.us', ack: 3 },
    ]);
    await session.stop();
  });

  it('ignores the acks of incoming messages (the session reading them)', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('ack', {
      ack: 3,
      id: {
        fromMe: false,
        remote: '5511977776666@c.us',
        id: '3EB0IN',
        _serialized: 'false_5511977776666@c.us_3EB0IN',
      },
    });
    wpp.client.play('ack', {
      ack: 2,
      id: {
        fromMe: true,
        remote: '5511977776666@c.us',
        id: '3EB0OUT',
        _serialized: 'true_5511977776666@c.us_3EB0OUT',
      },
    });
    await vi.waitFor(() => expect(seen.ackChanges).toHaveLength(1));
    expect(seen.ackChanges[0]?.waMessageId).toBe('true_5511977776666@c.us_3EB0OUT');
    await session.stop();
  });

  it('keeps a location, a reply, mentions, shared contacts and a poll', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('message', {
      ...text('3EB0LOC', '/9j/thumbnail', { type: 'location' }),
      lat: -23.5505,
      lng: -46.6333,
      loc: 'Praça da Sé, São Paulo',
    });
    wpp.client.play('message', {
      ...text('3EB0REPLY', '@5511966665555 olha isso'),
      quotedMsgId: 'true_5511977776666@c.us_3EB0C4',
      mentionedJidList: ['5511966665555@c.us'],
    });
    wpp.client.play('message', {
      ...text('3EB0VCARDS', ''),
      type: 'multi_vcard',
      vcardList: [{ displayName: 'Bruno', vcard: 'BEGIN:VCARD\nFN:Bruno\nEND:VCARD' }],
    });
    wpp.client.play('message', {
      ...text('3EB0POLL', ''),
      type: 'poll_creation',
      pollName: 'Almoço?',
      pollOptions: [
        { name: 'Sim', localId: 0 },
        { name: 'Não', localId: 1 },
      ],
      pollSelectableOptionsCount: 1,
    });
    await vi.waitFor(() => expect(seen.messages).toHaveLength(4));
    const [location, reply, vcards, poll] = seen.messages;
    expect(location).toMatchObject({
      type: 'location',
      body: '',
      location: { lat: -23.5505, lng: -46.6333, description: 'Praça da Sé, São Paulo' },
    });
    expect(reply).toMatchObject({
      quotedMsgId: 'true_5511977776666@c.us_3EB0C4',
      mentionedJidList: ['5511966665555@c.us'],
    });
    expect(vcards?.vcardList).toEqual([{ displayName: 'Bruno', vcard: 'BEGIN:VCARD\nFN:Bruno\nEND:VCARD' }]);
    expect(poll?.poll).toEqual({ name: 'Almoço?', options: ['Sim', 'Não'], selectableCount: 1 });
    await session.stop();
  });

  it('reports edits, reactions, poll votes, group changes and calls', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('edit', {
      chat: '5511977776666@c.us',
      id: 'false_5511977776666@c.us_3EB0C1',
      msg: { ...text('3EB0C1', 'hello, edited'), latestEditSenderTimestampMs: 1_765_718_100_000 },
    });
    wpp.client.play('reaction', {
      id: {
        fromMe: false,
        remote: '5511977776666@c.us',
        id: '3EB0R1',
        _serialized: 'false_5511977776666@c.us_3EB0R1',
      },
      msgId: {
        fromMe: true,
        remote: '5511977776666@c.us',
        id: '3EB0AA',
        _serialized: 'true_5511977776666@c.us_3EB0AA',
      },
      reactionText: '👍',
      read: false,
      sender: '5511977776666@c.us',
      orphan: 0,
      timestamp: 1_765_718_200_000,
    });
    wpp.client.play('vote', {
      msgId: {
        fromMe: true,
        remote: '120363025246125486@g.us',
        id: '3EB0P1',
        _serialized: 'true_120363025246125486@g.us_3EB0P1',
      },
      chatId: '120363025246125486@g.us',
      selectedOptions: [null, { name: 'Não', localId: 1 }],
      timestamp: 1_765_718_300_000,
      sender: '5511966665555@c.us',
    });
    wpp.client.play('participants', {
      by: '5511900001111@c.us',
      byPushName: 'Me',
      groupId: '120363025246125486@g.us',
      action: 'add',
      operation: 'add',
      who: ['5511955554444@c.us'],
    });
    wpp.client.play('call', {
      id: 'CALL1',
      peerJid: '5511977776666@c.us',
      isVideo: true,
      isGroup: false,
      offerTime: 1_765_718_400,
    });
    await vi.waitFor(() => expect(seen.facts).toHaveLength(5));
    expect(seen.facts).toEqual([
      {
        kind: 'edit',
        fact: {
          waMessageId: 'false_5511977776666@c.us_3EB0C1',
          chatJid: '5511977776666@c.us',
          body: 'hello, edited',
          editedAt: 1_765_718_100,
        },
      },
      {
        kind: 'reaction',
        fact: {
          waMessageId: 'true_5511977776666@c.us_3EB0AA',
          chatJid: '5511977776666@c.us',
          reactionId: 'false_5511977776666@c.us_3EB0R1',
          from: '5511977776666@c.us',
          emoji: '👍',
          timestamp: 1_765_718_200,
        },
      },
      {
        kind: 'vote',
        fact: {
          waMessageId: 'true_120363025246125486@g.us_3EB0P1',
          chatJid: '120363025246125486@g.us',
          from: '5511966665555@c.us',
          selectedOptions: ['Não'],
          timestamp: 1_765_718_300,
        },
      },
      {
        kind: 'participants',
        fact: {
          groupJid: '120363025246125486@g.us',
          action: 'add',
          participants: ['5511955554444@c.us'],
          by: '5511900001111@c.us',
        },
      },
      {
        kind: 'call',
        fact: {
          callId: 'CALL1',
          from: '5511977776666@c.us',
          isVideo: true,
          isGroup: false,
          timestamp: 1_765_718_400,
        },
      },
    ]);
    await session.stop();
  });
});
