import { describe, expect, it, vi } from 'vitest';
import { useFakeWppconnect } from './fake-wppconnect.js';

const lid = '179950657237125@lid';
const phoneJid = '5511977776666@c.us';
const pnLidEntry = (id: string) =>
  Promise.resolve<unknown>(
    id === lid
      ? {
          lid: { id: '179950657237125', server: 'lid', _serialized: lid },
          phoneNumber: { id: '5511977776666', server: 'c.us', _serialized: phoneJid },
          contact: { pushname: 'João' },
        }
      : {},
  );

describe('WPPConnect driver: contacts addressed by linked-device ids (@lid)', () => {
  const { started } = useFakeWppconnect();

  it('keeps a conversation with a contact who answers from its @lid in the chat of its phone JID', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.getPnLidEntry.mockImplementation(pnLidEntry);
    await session.sendText(phoneJid, 'Olá');
    // The echo of the gateway's own message, and the answer, both under the @lid id.
    wpp.client.play('message', {
      id: `true_${lid}_3EB0AA`,
      type: 'chat',
      body: 'Olá',
      from: '5511900001111@c.us',
      to: lid,
      chatId: lid,
      fromMe: true,
      t: 1_765_717_950,
    });
    wpp.client.play('message', {
      id: `false_${lid}_3A1F6C0E9B2D4E5F6A7B`,
      type: 'chat',
      body: 'Oi, tudo bem?',
      t: 1_765_717_960,
      notifyName: 'João',
      from: lid,
      to: '5511900001111@c.us',
      ack: 1,
      isNewMsg: true,
      chatId: lid,
      fromMe: false,
      sender: { id: lid, pushname: 'João', isUser: true },
      timestamp: 1_765_717_960,
      isGroupMsg: false,
      isMedia: false,
      isMMS: false,
      mediaData: {},
    });
    wpp.client.play('ack', {
      ack: 3,
      id: { fromMe: true, remote: lid, id: '3EB0AA', _serialized: `true_${lid}_3EB0AA` },
    });
    await vi.waitFor(() => expect(seen.ackChanges).toHaveLength(1));
    expect(seen.messages.map((m) => m.chatJid)).toEqual([phoneJid, phoneJid]);
    expect(seen.messages[0]).toMatchObject({ fromMe: true, to: phoneJid, body: 'Olá' });
    expect(seen.messages[1]).toMatchObject({
      from: phoneJid,
      senderPhone: '5511977776666',
      senderLid: lid,
      senderName: 'João',
      body: 'Oi, tudo bem?',
    });
    expect(seen.ackChanges[0]).toMatchObject({ chatJid: phoneJid, waMessageId: `true_${lid}_3EB0AA` });
    // The mapping is reported once, before the first message that needed it.
    expect(seen.facts).toEqual([{ kind: 'lid', fact: { lid, phoneJid } }]);
    expect(wpp.client.getPnLidEntry).toHaveBeenCalledOnce();
    await session.stop();
  });

  it('gives a group member who writes from its @lid its phone number', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.getPnLidEntry.mockImplementation((id: string) =>
      Promise.resolve(
        id === '48123456789012@lid' ? { phoneNumber: { _serialized: '5511955554444@c.us' } } : {},
      ),
    );
    wpp.client.play('message', {
      id: 'false_120363025246125486@g.us_3A9F0B7C1D2E3F405162_48123456789012@lid',
      type: 'chat',
      body: 'Bom dia grupo',
      from: '120363025246125486@g.us',
      author: '48123456789012@lid',
      chatId: '120363025246125486@g.us',
      fromMe: false,
      isGroupMsg: true,
      sender: { id: '48123456789012@lid', pushname: 'Maria' },
    });
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(seen.messages[0]).toMatchObject({
      chatJid: '120363025246125486@g.us',
      from: '5511955554444@c.us',
      senderPhone: '5511955554444',
      senderLid: '48123456789012@lid',
      senderName: 'Maria',
    });
    await session.stop();
  });

  it('keeps the @lid id, with no phone, when WhatsApp does not know the phone', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('message', {
      id: `false_${lid}_3A1F`,
      type: 'chat',
      body: 'oi',
      from: lid,
      chatId: lid,
      fromMe: false,
      sender: { id: lid, pushname: 'João' },
    });
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(seen.messages[0]).toMatchObject({ chatJid: lid, from: lid, senderPhone: null });
    expect(seen.messages[0]?.senderLid).toBeUndefined();
    expect(seen.facts).toEqual([]);
    await session.stop();
  });
});
