import { describe, expect, it, vi } from 'vitest';
import { SendFailedError } from '../port.js';
import { useFakeWppconnect } from './fake-wppconnect.js';

describe('WPPConnect driver: messages', () => {
  const { started } = useFakeWppconnect();

  it('maps received, group, media and own messages', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('message', {
      id: 'false_5511977776666@c.us_3EB0C1',
      from: '5511977776666@c.us',
      to: '5511900001111@c.us',
      chatId: '5511977776666@c.us',
      fromMe: false,
      type: 'chat',
      body: 'hello',
      t: 1_700_000_001,
      sender: { id: '5511977776666@c.us', pushname: 'Ana' },
      isGroupMsg: false,
    });
    wpp.client.play('message', {
      id: 'false_120363000000000001@g.us_3EB0C2_5511966665555@c.us',
      from: '120363000000000001@g.us',
      to: '5511900001111@c.us',
      author: '5511966665555@c.us',
      chatId: { _serialized: '120363000000000001@g.us' },
      chat: { name: 'Team' },
      type: 'chat',
      body: 'hi all',
      t: 1_700_000_002,
      notifyName: 'Bruno',
      isGroupMsg: true,
    });
    wpp.client.play('message', {
      id: 'false_5511977776666@c.us_3EB0C3',
      from: '5511977776666@c.us',
      to: '5511900001111@c.us',
      type: 'image',
      body: '/9j/4AAQSkZJRgABAQ…thumbnail',
      caption: 'look',
      mimetype: 'image/jpeg',
      size: 52_311,
      isMedia: true,
      t: 1_700_000_003,
    });
    wpp.client.play('message', {
      id: 'true_5511977776666@c.us_3EB0C4',
      from: '5511900001111@c.us',
      to: '5511977776666@c.us',
      fromMe: true,
      type: 'document',
      body: '',
      mimetype: 'application/pdf',
      filename: 'invoice.pdf',
      t: 1_700_000_004,
    });
    await vi.waitFor(() => expect(seen.messages).toHaveLength(4));
    const [individual, group, media, own] = seen.messages;
    expect(individual).toEqual({
      waMessageId: 'false_5511977776666@c.us_3EB0C1',
      chatJid: '5511977776666@c.us',
      isGroup: false,
      fromMe: false,
      from: '5511977776666@c.us',
      to: '5511900001111@c.us',
      senderName: 'Ana',
      senderPhone: '5511977776666',
      chatName: null,
      type: 'chat',
      body: 'hello',
      media: null,
      timestamp: 1_700_000_001,
    });
    expect(group).toMatchObject({
      chatJid: '120363000000000001@g.us',
      isGroup: true,
      from: '5511966665555@c.us',
      senderName: 'Bruno',
      senderPhone: '5511966665555',
      chatName: 'Team',
      body: 'hi all',
    });
    expect(media).toMatchObject({
      chatJid: '5511977776666@c.us',
      type: 'image',
      body: 'look',
      media: { mimetype: 'image/jpeg', caption: 'look', fileName: null, size: 52_311 },
    });
    expect(own).toMatchObject({
      chatJid: '5511977776666@c.us',
      fromMe: true,
      from: '5511900001111@c.us',
      to: '5511977776666@c.us',
      media: { mimetype: 'application/pdf', fileName: 'invoice.pdf' },
    });
    await session.stop();
  });

  it("moves WhatsApp's acks -1…4 one up, to the gateway's 0…5", async () => {
    const { wpp, seen, session } = await started();
    for (const ack of [-1, 0, 1, 2, 3, 4]) {
      wpp.client.play('ack', {
        ack,
        id: { _serialized: 'true_5511977776666@c.us_3EB0AA', remote: '5511977776666@c.us', fromMe: true },
      });
    }
    expect(seen.acks).toEqual([0, 1, 2, 3, 4, 5]);
    await session.stop();
  });

  it('reports a message deleted for everyone by the id of the deleted message and its chat', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('revoked', {
      from: { _serialized: '120363000000000001@g.us' },
      to: { _serialized: '5511900001111@c.us' },
      id: 'false_120363000000000001@g.us_3EB0FF_5511966665555@c.us',
      refId: 'false_120363000000000001@g.us_3EB0C2_5511966665555@c.us',
    });
    expect(seen.revoked).toEqual([
      {
        waMessageId: 'false_120363000000000001@g.us_3EB0C2_5511966665555@c.us',
        chatJid: '120363000000000001@g.us',
      },
    ]);
    await session.stop();
  });

  it('reports an unlinked phone (UNPAIRED) as a logout, but not the unpaired QR page before the first login', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('state', 'UNPAIRED');
    expect(seen.statuses.map((status) => status.type)).toEqual(['connecting']);
    wpp.statusFind('inChat');
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('connected'));
    wpp.client.play('state', 'UNPAIRED');
    expect(seen.statuses.at(-1)).toEqual({
      type: 'disconnected',
      reason: 'the phone unlinked this device',
      loggedOut: true,
      willReconnect: false,
    });
    await session.stop();
  });

  it('takes the session back when WhatsApp Web is opened elsewhere (CONFLICT)', async () => {
    const { wpp, session } = await started();
    wpp.client.play('state', 'CONFLICT');
    expect(wpp.client.useHere).toHaveBeenCalledOnce();
    await session.stop();
  });

  it('fails for good and closes the browser when the QR code is not scanned in time', async () => {
    const { wpp, seen, chromium } = await started();
    wpp.statusFind('autocloseCalled');
    expect(seen.statuses.at(-1)).toEqual({
      type: 'failed',
      reason: 'the QR code was not scanned in time',
      retryable: false,
    });
    await vi.waitFor(() => expect(chromium.browser.close).toHaveBeenCalled());
    wpp.statusFind('browserClose');
    expect(seen.statuses.filter((status) => status.type === 'failed')).toHaveLength(1);
  });

  it('maps a sent text to its id, ack and time', async () => {
    const { wpp, session } = await started();
    await expect(session.sendText('5511977776666@c.us', 'hi')).resolves.toEqual({
      waMessageId: 'true_5511977776666@c.us_3EB0AA',
      ack: 2,
      timestamp: 1_700_000_000,
    });
    expect(wpp.client.sendText).toHaveBeenCalledWith('5511977776666@c.us', 'hi');
    await session.stop();
  });

  it('sends media as a data URL with its file name and caption', async () => {
    const { wpp, session } = await started();
    const sent = await session.sendMedia('5511988887777@c.us', {
      mimetype: 'application/pdf',
      fileName: 'a.pdf',
      caption: 'the file',
      data: Buffer.from('PDF'),
    });
    expect(sent).toMatchObject({ waMessageId: 'true_5511988887777@c.us_3EB0BB', ack: 1 });
    expect(wpp.client.sendFile).toHaveBeenCalledWith(
      '5511988887777@c.us',
      'data:application/pdf;base64,UERG',
      {
        type: 'auto-detect',
        mimetype: 'application/pdf',
        filename: 'a.pdf',
        caption: 'the file',
      },
    );
    await session.stop();
  });

  it.each([
    [new Error('Invalid WID value for 123@c.us'), true],
    [new Error('Chat not found for 5511000000000@c.us'), true],
    [{ erro: true, to: '55@c.us', text: 'invalid number' }, true],
    [new Error('Protocol error (Runtime.callFunctionOn): Target closed'), false],
    [new Error('Execution context was destroyed'), false],
  ])('maps the send failure %o to permanent: %s', async (failure, permanent) => {
    const { wpp, session } = await started();
    wpp.client.sendText.mockRejectedValueOnce(failure);
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).toMatchObject({ permanent });
    await session.stop();
  });
});
