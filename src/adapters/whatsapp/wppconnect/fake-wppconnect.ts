import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateOptions, Whatsapp } from '@wppconnect-team/wppconnect';
import type { Browser } from 'puppeteer';
import { afterEach, beforeEach, vi } from 'vitest';
import { type DriverCallbacks, type DriverStatus, type IncomingWhatsAppMessage } from '../port.js';
import type { LaunchBrowser } from './launch-browser.js';
import type { CreateWppconnect } from './wpp-client.js';
import { createWppconnectDriver, type WppconnectDriverOptions } from './wppconnect-driver.js';

export type Listener = (value: unknown) => void;

/**
 * A stand-in for WA-JS (`window.WPP`) inside the page, as much of it as sends use. Sends answer as WA-JS 4.6's
 * `sendRawMessage` does: `{ id, ack }` with the id a string.
 */
export function fakeWppInPage() {
  return {
    chat: {
      sendTextMessage: vi.fn((to: string, _text: string, _options: unknown) =>
        Promise.resolve<unknown>({ id: `true_${to}_3EB0AA`, ack: 1 }),
      ),
      sendFileMessage: vi.fn((to: string, _content: string, _options: unknown) =>
        Promise.resolve<unknown>({ id: `true_${to}_3EB0BB`, ack: 0 }),
      ),
      sendCreatePollMessage: vi.fn((to: string, _name: string, _choices: string[], _options: unknown) =>
        Promise.resolve<unknown>({ id: `true_${to}_3EB0CC`, ack: 1 }),
      ),
      sendLocationMessage: vi.fn((to: string, _options: unknown) =>
        Promise.resolve<unknown>({ id: `true_${to}_3EB0DD`, ack: 1 }),
      ),
      // WA-JS answers a reaction with no id of its own.
      sendReactionToMessage: vi.fn((_msgId: string, _reaction: string | false) =>
        Promise.resolve<unknown>({ sendMsgResult: 'OK' }),
      ),
      editMessage: vi.fn((msgId: string, _text: string, _options: unknown) =>
        Promise.resolve<unknown>({ id: `${msgId}_EDIT`, ack: 1 }),
      ),
      deleteMessage: vi.fn((_to: string, id: string, _deleteMedia: boolean, _revoke: boolean) =>
        Promise.resolve<unknown>({ id, sendMsgResult: 'OK', isRevoked: true, isDeleted: false }),
      ),
    },
    whatsapp: { MsgStore: { get: vi.fn((_id: string): unknown => ({ t: 1_700_000_000 })) } },
  };
}

/**
 * A stand-in for the Chromium the driver launches: it records being closed, and runs what is evaluated in the
 * page here, against `wpp` in place of WA-JS, with its argument serialized as puppeteer does.
 */
export function fakeBrowser(wpp = fakeWppInPage()) {
  const page = {
    closed: false,
    isClosed: () => page.closed,
    close: vi.fn(() => {
      page.closed = true;
      return Promise.resolve();
    }),
    emit: vi.fn(),
    evaluate: vi.fn(async (script: (arg: unknown) => Promise<unknown>, arg: unknown) => {
      const global = globalThis as { WPP?: unknown };
      global.WPP = wpp;
      try {
        return await script(JSON.parse(JSON.stringify(arg)) as unknown);
      } finally {
        delete global.WPP;
      }
    }),
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
  return { browser, page, wpp, launch };
}

/** A stand-in for WPPConnect's Whatsapp client: tests play its events. */
export function fakeClient() {
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
    onMessageEdit: on('edit'),
    onReactionMessage: on('reaction'),
    onPollResponse: on('vote'),
    onParticipantsChanged: on('participants'),
    onIncomingCall: on('call'),
    /** WA-JS knows no phone for any `@lid` until a test says otherwise. */
    getPnLidEntry: vi.fn((_id: string) => Promise.resolve<unknown>({})),
    getChatById: vi.fn((_id: string) => Promise.resolve<unknown>(null)),
    /** Every number is on WhatsApp until a test says otherwise; the answer is shaped as WAPI's. */
    checkNumberStatus: vi.fn((id: string) =>
      Promise.resolve<unknown>({ id: { _serialized: id }, numberExists: true, status: 200 }),
    ),
    downloadMedia: vi.fn((_messageId: string) => Promise.resolve('data:image/png;base64,iVBORw0KGgo=')),
    sendSeen: vi.fn((_chatId: string) => Promise.resolve<unknown>(true)),
    /** No contact shows a picture or is in the phone's contact list until a test says otherwise. */
    getProfilePicFromServer: vi.fn((_chatId: string) => Promise.resolve<unknown>(undefined)),
    getContact: vi.fn((_contactId: string) => Promise.resolve<unknown>(null)),
    // Group calls answer as WA-JS does: creating and adding per participant (code 200: added), the rest nothing.
    createGroup: vi.fn((_name: string, contacts: string | string[]) =>
      Promise.resolve<unknown>({
        gid: { server: 'g.us', user: '120363000000000001', _serialized: '120363000000000001@g.us' },
        participants: Object.fromEntries(
          [contacts]
            .flat()
            .map((id) => [id, { wid: id, code: 200, invite_code: null, invite_code_exp: null }]),
        ),
      }),
    ),
    addParticipant: vi.fn((_groupId: string, ids: string | string[]) =>
      Promise.resolve<unknown>(
        Object.fromEntries([ids].flat().map((id) => [id, { wid: id, code: 200, message: 'OK' }])),
      ),
    ),
    removeParticipant: vi.fn((_groupId: string, _ids: string | string[]) =>
      Promise.resolve<unknown>(undefined),
    ),
    promoteParticipant: vi.fn((_groupId: string, _ids: string | string[]) =>
      Promise.resolve<unknown>(undefined),
    ),
    demoteParticipant: vi.fn((_groupId: string, _ids: string | string[]) =>
      Promise.resolve<unknown>(undefined),
    ),
    leaveGroup: vi.fn((_groupId: string) => Promise.resolve<unknown>(undefined)),
    getAllGroups: vi.fn((_withNewMessagesOnly?: boolean) => Promise.resolve<unknown[]>([])),
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
export function fakeCreate(outcome: 'resolve' | 'reject' | 'hang' = 'resolve') {
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

export function recorder() {
  const statuses: DriverStatus[] = [];
  const qrCodes: { code: string; attempt: number }[] = [];
  const messages: IncomingWhatsAppMessage[] = [];
  const acks: number[] = [];
  const revoked: { waMessageId: string; chatJid: string }[] = [];
  const ackChanges: Parameters<DriverCallbacks['onAck']>[0][] = [];
  /** Edits, reactions, votes, group changes, calls and `@lid` mappings, in the order reported. */
  const facts: { kind: string; fact: unknown }[] = [];
  const fact = (kind: string) => (value: unknown) => void facts.push({ kind, fact: value });
  const callbacks: Required<DriverCallbacks> = {
    onQrCode: (qr) => void qrCodes.push(qr),
    onStatus: (status) => void statuses.push(status),
    onMessage: (message) => void messages.push(message),
    onAck: (change) => {
      acks.push(change.ack);
      ackChanges.push(change);
    },
    onRevoked: (revocation) => void revoked.push(revocation),
    onEdited: fact('edit'),
    onReaction: fact('reaction'),
    onPollVote: fact('vote'),
    onParticipantsChanged: fact('participants'),
    onIncomingCall: fact('call'),
    onLidMapped: fact('lid'),
    onPairingCode: fact('pairing'),
  };
  return { statuses, qrCodes, messages, acks, ackChanges, revoked, facts, callbacks };
}

/**
 * The driver under test on the fakes above, with a data folder made before each case and removed after it.
 * Call inside a describe block.
 */
export function useFakeWppconnect() {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-wpp-unit-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  function setUp(
    outcome: 'resolve' | 'reject' | 'hang' = 'resolve',
    startTimeoutMs = 5000,
    sendTimeoutMs = 5000,
    overrides: Partial<WppconnectDriverOptions> = {},
  ) {
    const chromium = fakeBrowser();
    const wpp = fakeCreate(outcome);
    const seen = recorder();
    const driver = createWppconnectDriver({
      dataDir,
      chromiumPath: process.execPath,
      startTimeoutMs,
      sendTimeoutMs,
      create: wpp.create,
      launch: chromium.launch,
      resolveHost: () => Promise.resolve(),
      ...overrides,
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

  return {
    setUp,
    started,
    get dataDir() {
      return dataDir;
    },
  };
}
