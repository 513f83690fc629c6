import { describe, expect, it, vi } from 'vitest';
import { SendFailedError, SendOutcomeUnknownError } from '../port.js';
import { useFakeWppconnect } from './fake-wppconnect.js';

describe('WPPConnect driver: messages', () => {
  const bed = useFakeWppconnect();
  const { started } = bed;

  it('maps received, group, media and own messages as 2.3.3 serializes them (string ids, no chat)', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.getChatById.mockImplementation((id: string) =>
      Promise.resolve(id === '120363025246125486@g.us' ? { groupMetadata: { subject: 'Team' } } : null),
    );
    wpp.client.play('message', {
      id: 'false_5511977776666@c.us_3EB0C1',
      from: '5511977776666@c.us',
      to: '5511900001111@c.us',
      chatId: '5511977776666@c.us',
      fromMe: false,
      type: 'chat',
      body: 'hello',
      t: 1_700_000_001,
      sender: { id: '5511977776666@c.us', pushname: 'Ana', name: 'Ana Souza', isUser: true },
      isGroupMsg: false,
    });
    wpp.client.play('message', {
      id: 'false_120363025246125486@g.us_3A9F0B7C1D2E3F405162_5511966665555@c.us',
      type: 'chat',
      body: 'Bom dia grupo',
      from: '120363025246125486@g.us',
      author: '5511966665555@c.us',
      chatId: '120363025246125486@g.us',
      fromMe: false,
      isGroupMsg: true,
      t: 1_700_000_002,
      sender: { id: '5511966665555@c.us', pushname: 'Bruno' },
    });
    wpp.client.play('message', {
      id: 'false_5511977776666@c.us_3EB0A1B2C3D4E5F60718',
      type: 'image',
      body: '/9j/4AAQSkZJRg…',
      caption: 'Segue o comprovante',
      mimetype: 'image/jpeg',
      size: 84213,
      mediaKey: 'q1Zk…=',
      directPath: '/v/t62.7118-24/…enc?ccb=11-4',
      deprecatedMms3Url: 'https://mmg.whatsapp.net/v/t62.7118-24/…enc',
      t: 1_765_718_001,
      from: '5511977776666@c.us',
      chatId: '5511977776666@c.us',
      fromMe: false,
      isMedia: true,
      isMMS: true,
      isGroupMsg: false,
      sender: { id: '5511977776666@c.us', pushname: 'Ana' },
    });
    wpp.client.play('message', {
      id: 'true_5511977776666@c.us_3EB0C4',
      from: '5511900001111@c.us',
      to: '5511977776666@c.us',
      chatId: '5511977776666@c.us',
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
      chatName: 'Ana Souza',
      type: 'chat',
      body: 'hello',
      media: null,
      timestamp: 1_700_000_001,
    });
    expect(group).toMatchObject({
      chatJid: '120363025246125486@g.us',
      isGroup: true,
      from: '5511966665555@c.us',
      senderName: 'Bruno',
      senderPhone: '5511966665555',
      chatName: 'Team',
      body: 'Bom dia grupo',
    });
    expect(media).toMatchObject({
      chatJid: '5511977776666@c.us',
      type: 'image',
      body: 'Segue o comprovante',
      media: {
        mimetype: 'image/jpeg',
        caption: 'Segue o comprovante',
        fileName: null,
        size: 84213,
        mediaKey: 'q1Zk…=',
        directPath: '/v/t62.7118-24/…enc?ccb=11-4',
        deprecatedMms3Url: 'https://mmg.whatsapp.net/v/t62.7118-24/…enc',
      },
    });
    expect(own).toMatchObject({
      chatJid: '5511977776666@c.us',
      fromMe: true,
      from: '5511900001111@c.us',
      to: '5511977776666@c.us',
      chatName: null,
      media: { mimetype: 'application/pdf', fileName: 'invoice.pdf' },
    });
    await session.stop();
  });

  it("moves WhatsApp's acks -1…4 one up, to the gateway's 0…5", async () => {
    const { wpp, seen, session } = await started();
    for (const ack of [-1, 0, 1, 2, 3, 4]) {
      wpp.client.play('ack', {
        ack,
        id: {
          fromMe: true,
          remote: '5511977776666@c.us',
          id: '3EB0AA',
          _serialized: 'true_5511977776666@c.us_3EB0AA',
        },
      });
    }
    await vi.waitFor(() => expect(seen.acks).toEqual([0, 1, 2, 3, 4, 5]));
    await session.stop();
  });

  it('reports a message deleted for everyone by the id of the deleted message and its chat', async () => {
    const { wpp, seen, session } = await started();
    wpp.client.play('revoked', {
      author: '5511966665555@c.us',
      from: '120363000000000001@g.us',
      to: '5511900001111@c.us',
      id: 'false_120363000000000001@g.us_3EB0FF_5511966665555@c.us',
      refId: 'false_120363000000000001@g.us_3EB0C2_5511966665555@c.us',
    });
    await vi.waitFor(() => expect(seen.revoked).toHaveLength(1));
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
    const { chromium, session } = await started();
    await expect(session.sendText('5511977776666@c.us', 'hi')).resolves.toEqual({
      waMessageId: 'true_5511977776666@c.us_3EB0AA',
      ack: 2,
      timestamp: 1_700_000_000,
    });
    expect(chromium.wpp.chat.sendTextMessage).toHaveBeenCalledWith('5511977776666@c.us', 'hi', {
      waitForAck: true,
    });
    await session.stop();
  });

  it('reports a send WhatsApp accepted as sent, even when looking the message up afterwards fails', async () => {
    const { chromium, session } = await started();
    // WPPConnect's sendText looks the message up after sending it; that lookup throws this when it misses.
    chromium.wpp.whatsapp.MsgStore.get.mockImplementation((id: string) => {
      throw new Error(`Message ${id} not found`);
    });
    const sent = await session.sendText('5511977776666@c.us', 'hi');
    expect(sent.waMessageId).toBe('true_5511977776666@c.us_3EB0AA');
    expect(chromium.wpp.chat.sendTextMessage).toHaveBeenCalledOnce();
    await session.stop();
  });

  it('sends media as a data URL with its file name and caption', async () => {
    const { chromium, session } = await started();
    const sent = await session.sendMedia('5511988887777@c.us', {
      mimetype: 'application/pdf',
      fileName: 'a.pdf',
      caption: 'the file',
      data: Buffer.from('PDF'),
    });
    expect(sent).toMatchObject({ waMessageId: 'true_5511988887777@c.us_3EB0BB', ack: 1 });
    expect(chromium.wpp.chat.sendFileMessage).toHaveBeenCalledWith(
      '5511988887777@c.us',
      'data:application/pdf;base64,UERG',
      {
        type: 'auto-detect',
        mimetype: 'application/pdf',
        filename: 'a.pdf',
        caption: 'the file',
        waitForAck: true,
      },
    );
    await session.stop();
  });

  it.each([
    ['Invalid WID value for 123@c.us', 'invalid_wid', true],
    ['Chat not found for 5511000000000@c.us', 'chat_not_found', true],
    ['Some temporary refusal', 'temporary', false],
  ])('maps the refusal %s (%s) to permanent: %s', async (message, code, permanent) => {
    const { chromium, session } = await started();
    chromium.wpp.chat.sendTextMessage.mockRejectedValueOnce(Object.assign(new Error(message), { code }));
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({ permanent });
    await session.stop();
  });

  it('retries nothing when WA-JS is not loaded yet: the message was not handed over', async () => {
    const { chromium, session } = await started();
    chromium.page.evaluate.mockImplementationOnce((script, arg) => script(arg));
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({ permanent: false });
    await session.stop();
  });

  it.each([
    ['the page dies mid-send', new Error('Protocol error (Runtime.callFunctionOn): Target closed')],
    ['the page navigates mid-send', new Error('Execution context was destroyed')],
  ])('reports an unknown outcome, never to be retried, when %s', async (_case, failure) => {
    const { chromium, session } = await started();
    chromium.page.evaluate.mockRejectedValueOnce(failure);
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({ permanent: true });
    await session.stop();
  });

  it('reports an unknown outcome when WhatsApp throws something of its own after taking the message', async () => {
    const { chromium, session } = await started();
    chromium.wpp.chat.sendTextMessage.mockRejectedValueOnce(
      new TypeError('Cannot read properties of undefined'),
    );
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    await session.stop();
  });

  it('reports an unknown outcome, not a retryable failure, when the send hangs past its time limit', async () => {
    const { setUp } = bed;
    const { wpp, chromium, start } = setUp('resolve', 5000, 50);
    wpp.release();
    const session = await start();
    chromium.wpp.chat.sendTextMessage.mockReturnValueOnce(new Promise(() => undefined));
    const error: unknown = await session.sendText('5511977776666@c.us', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect((error as Error).message).toBe('WhatsApp did not answer the send within 50 ms');
    await session.stop();
  });
});
