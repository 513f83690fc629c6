import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateOptions, Whatsapp } from '@wppconnect-team/wppconnect';
import type { Browser } from 'puppeteer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DriverStartError,
  SendFailedError,
  type DriverCallbacks,
  type DriverStatus,
  type IncomingWhatsAppMessage,
} from '../port.js';
import type { LaunchBrowser } from './launch-browser.js';
import type { CreateWppconnect } from './wpp-client.js';
import { createWppconnectDriver } from './wppconnect-driver.js';

type Listener = (value: unknown) => void;

/** A stand-in for the Chromium the driver launches: it only records being closed. */
function fakeBrowser() {
  const page = {
    closed: false,
    isClosed: () => page.closed,
    close: vi.fn(() => {
      page.closed = true;
      return Promise.resolve();
    }),
    emit: vi.fn(),
  };
  const browser = {
    connected: true,
    pages: () => Promise.resolve([page]),
    newPage: () => Promise.resolve(page),
    close: vi.fn(() => {
      browser.connected = false;
      return Promise.resolve();
    }),
    process: () => null,
  };
  const launch: LaunchBrowser = vi.fn(() => Promise.resolve(browser as unknown as Browser));
  return { browser, page, launch };
}

/** A stand-in for WPPConnect's Whatsapp client: tests play its events. */
function fakeClient() {
  const listeners = new Map<string, Listener>();
  const on = (event: string) => (callback: Listener) => {
    listeners.set(event, callback);
    return { dispose: () => listeners.delete(event) };
  };
  return {
    play: (event: string, value: unknown) => listeners.get(event)?.(value),
    onAnyMessage: on('message'),
    onAck: on('ack'),
    onStateChange: on('state'),
    onRevokedMessage: on('revoked'),
    sendText: vi.fn((to: string, _text: string) =>
      Promise.resolve<unknown>({ id: `true_${to}_3EB0AA`, ack: 1, t: 1_700_000_000 }),
    ),
    sendFile: vi.fn(() => Promise.resolve<unknown>({ id: 'true_5511988887777@c.us_3EB0BB', ack: 0 })),
    isConnected: vi.fn(() => Promise.resolve(true)),
    getWid: vi.fn(() => Promise.resolve('5511900001111@c.us')),
    getHostDevice: vi.fn(() => Promise.resolve({})),
    waitForLogin: vi.fn(() => new Promise<boolean>(() => undefined)),
    useHere: vi.fn(() => Promise.resolve(true)),
    logout: vi.fn(() => Promise.resolve(true)),
    close: vi.fn(() => Promise.resolve(true)),
  };
}

/** WPPConnect's `create`, answering as the test decides; it keeps the options to play `catchQR`/`statusFind`. */
function fakeCreate(outcome: 'resolve' | 'reject' | 'hang' = 'resolve') {
  const client = fakeClient();
  let options: CreateOptions = {};
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const create = vi.fn((createOptions: CreateOptions) => {
    options = createOptions;
    if (outcome === 'reject')
      return Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com'));
    if (outcome === 'hang') return new Promise<Whatsapp>(() => undefined);
    return gate.then(() => client as unknown as Whatsapp);
  });
  return {
    create: create as unknown as CreateWppconnect,
    client,
    /** Lets `create` return the client; until then, callbacks arrive as they do while WhatsApp Web loads. */
    release,
    statusFind: (status: string) => options.statusFind?.(status as never, 'session'),
    catchQR: (code: string, attempt: number) =>
      options.catchQR?.('data:image/png;base64,…', '▄▄', attempt, code),
    options: () => options,
  };
}

function recorder() {
  const statuses: DriverStatus[] = [];
  const qrCodes: { code: string; attempt: number }[] = [];
  const messages: IncomingWhatsAppMessage[] = [];
  const acks: number[] = [];
  const revoked: { waMessageId: string; chatJid: string }[] = [];
  const callbacks: DriverCallbacks = {
    onQrCode: (qr) => qrCodes.push(qr),
    onStatus: (status) => statuses.push(status),
    onMessage: (message) => messages.push(message),
    onAck: ({ ack }) => acks.push(ack),
    onRevoked: (revocation) => revoked.push(revocation),
  };
  return { statuses, qrCodes, messages, acks, revoked, callbacks };
}

describe('WPPConnect driver', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-wpp-unit-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  function setUp(outcome: 'resolve' | 'reject' | 'hang' = 'resolve', startTimeoutMs = 5000) {
    const chromium = fakeBrowser();
    const wpp = fakeCreate(outcome);
    const seen = recorder();
    const driver = createWppconnectDriver({
      dataDir,
      chromiumPath: process.execPath,
      startTimeoutMs,
      create: wpp.create,
      launch: chromium.launch,
      resolveHost: () => Promise.resolve(),
    });
    return {
      chromium,
      wpp,
      seen,
      driver,
      start: () => driver.start({ sessionId: 's1', callbacks: seen.callbacks }),
    };
  }

  /** Starts a session whose WhatsApp Web loads at once. */
  async function started() {
    const setup = setUp();
    setup.wpp.release();
    const session = await setup.start();
    return { ...setup, session };
  }

  it('passes the browser and page it launched to WPPConnect, quietly, without waiting for the login', async () => {
    const { wpp, chromium, session } = await started();
    expect(wpp.options()).toMatchObject({
      session: 's1',
      browser: chromium.browser,
      page: chromium.page,
      waitForLogin: false,
      disableWelcome: true,
      logQR: false,
      updatesLog: false,
      autoClose: 120_000,
    });
    expect(wpp.client.waitForLogin).toHaveBeenCalledOnce();
    await session.stop();
  });

  it('reports connecting, then each QR code with its raw text and attempt', async () => {
    const { wpp, seen, start } = setUp();
    const starting = start();
    await vi.waitFor(() => expect(wpp.options().catchQR).toBeDefined());
    wpp.catchQR('2@first', 1);
    wpp.statusFind('notLogged');
    wpp.catchQR('2@second', 2);
    wpp.release();
    await (await starting).stop();
    expect(seen.qrCodes).toEqual([
      { code: '2@first', attempt: 1 },
      { code: '2@second', attempt: 2 },
    ]);
    expect(seen.statuses).toEqual([{ type: 'connecting', restoring: false }]);
  });

  it('reports connected once, with its own id and phone, however many login statuses arrive', async () => {
    const { wpp, seen, session } = await started();
    wpp.statusFind('qrReadSuccess');
    wpp.statusFind('isLogged');
    wpp.statusFind('inChat');
    wpp.client.play('state', 'CONNECTED');
    await vi.waitFor(() => expect(seen.statuses.at(-1)?.type).toBe('connected'));
    expect(seen.statuses.filter((status) => status.type === 'connected')).toEqual([
      { type: 'connected', waId: '5511900001111@c.us', phoneNumber: '5511900001111' },
    ]);
    await session.stop();
  });

  it('reports connected once the client exists when the login was found while WhatsApp Web loaded', async () => {
    const { wpp, seen, start } = setUp();
    const starting = start();
    await vi.waitFor(() => expect(wpp.options().statusFind).toBeDefined());
    wpp.statusFind('isLogged');
    expect(seen.statuses.map((status) => status.type)).toEqual(['connecting']);
    wpp.release();
    const session = await starting;
    await vi.waitFor(() => expect(seen.statuses.at(-1)).toMatchObject({ type: 'connected' }));
    await session.stop();
  });

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

  it('reports nothing more once stopped, and closes the client and the browser', async () => {
    const { wpp, seen, chromium, session } = await started();
    await session.stop();
    wpp.client.play('ack', {
      ack: 2,
      id: { _serialized: 'true_5511977776666@c.us_X', remote: '5511977776666@c.us' },
    });
    wpp.statusFind('browserClose');
    expect(seen.acks).toEqual([]);
    expect(seen.statuses.map((status) => status.type)).toEqual(['connecting']);
    expect(wpp.client.close).toHaveBeenCalled();
    expect(chromium.page.close).toHaveBeenCalled();
    expect(chromium.browser.close).toHaveBeenCalled();
    expect(await session.isAlive()).toBe(false);
  });

  it('fails to start, closing the page and the browser, when create() rejects', async () => {
    const { chromium, start } = setUp('reject');
    const error: unknown = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverStartError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as DriverStartError).reason).toContain('ERR_NAME_NOT_RESOLVED');
    expect(chromium.page.close).toHaveBeenCalled();
    expect(chromium.browser.close).toHaveBeenCalled();
  });

  it('fails to start, closing the page and the browser, when create() never returns', async () => {
    const { chromium, start } = setUp('hang', 50);
    const error: unknown = await start().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'DriverStartError',
      reason: 'WhatsApp Web did not load within 50 ms',
    });
    expect(chromium.page.close).toHaveBeenCalled();
    expect(chromium.browser.close).toHaveBeenCalled();
  });

  it('launches nothing when web.whatsapp.com does not resolve', async () => {
    const chromium = fakeBrowser();
    const driver = createWppconnectDriver({
      dataDir,
      chromiumPath: process.execPath,
      launch: chromium.launch,
      create: fakeCreate().create,
      resolveHost: () => Promise.reject(new Error('getaddrinfo ENOTFOUND web.whatsapp.com')),
    });
    const error: unknown = await driver
      .start({ sessionId: 's1', callbacks: recorder().callbacks })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'DriverStartError',
      reason: 'WhatsApp Web (web.whatsapp.com) is unreachable: getaddrinfo ENOTFOUND web.whatsapp.com',
      retryable: true,
    });
    expect(chromium.launch).not.toHaveBeenCalled();
  });

  it('fails clearly, for good, when the configured Chromium does not exist', async () => {
    const driver = createWppconnectDriver({
      dataDir,
      chromiumPath: join(dataDir, 'no-chromium'),
      create: fakeCreate().create,
      resolveHost: () => Promise.resolve(),
    });
    const error: unknown = await driver
      .start({ sessionId: 's1', callbacks: recorder().callbacks })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DriverStartError', retryable: false });
    expect((error as DriverStartError).reason).toContain('missing or not executable');
  });
});
