import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Browser, LaunchOptions } from 'puppeteer';
import type { LoginBackups } from './login-backups.js';
import { archiveProfile } from './profile-archive.js';
import { profileDir } from './session-profile.js';
import { createWppconnectDriver } from './wppconnect-driver.js';
import { DriverStartError } from '../port.js';
import { fakeBrowser, fakeCreate, recorder, useFakeWppconnect } from './fake-wppconnect.js';

describe('WPPConnect driver', () => {
  const bed = useFakeWppconnect();
  const { setUp, started } = bed;

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
      whatsappVersion: '',
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

  it('reports connected once the client exists when the chats opened while WhatsApp Web loaded', async () => {
    const { wpp, seen, start } = setUp();
    const starting = start();
    await vi.waitFor(() => expect(wpp.options().statusFind).toBeDefined());
    wpp.statusFind('inChat');
    expect(seen.statuses.map((status) => status.type)).toEqual(['connecting']);
    wpp.release();
    const session = await starting;
    await vi.waitFor(() => expect(seen.statuses.at(-1)).toMatchObject({ type: 'connected' }));
    await session.stop();
  });

  it('reports nothing more once stopped, and closes the client and the browser', async () => {
    const { wpp, seen, chromium, session } = await started();
    await session.stop();
    wpp.client.play('ack', {
      ack: 2,
      id: {
        fromMe: true,
        remote: '5511977776666@c.us',
        id: 'X',
        _serialized: 'true_5511977776666@c.us_X',
      },
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
      dataDir: bed.dataDir,
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
      dataDir: bed.dataDir,
      chromiumPath: join(bed.dataDir, 'no-chromium'),
      create: fakeCreate().create,
      resolveHost: () => Promise.resolve(),
    });
    const error: unknown = await driver
      .start({ sessionId: 's1', callbacks: recorder().callbacks })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DriverStartError', retryable: false });
    expect((error as DriverStartError).reason).toContain('missing or not executable');
  });

  it("pins no WhatsApp Web version by default: WPPConnect's own default is not among the bundled ones", async () => {
    const require = createRequire(import.meta.url);
    const { defaultOptions } = require('@wppconnect-team/wppconnect/dist/config/create-config.js') as {
      defaultOptions: { whatsappVersion: string };
    };
    const { getPageContent } = require('@wppconnect/wa-version') as { getPageContent: (v: string) => string };
    expect(() => getPageContent(defaultOptions.whatsappVersion)).toThrow(/Version not available/);
    const { wpp, session } = await started();
    expect(wpp.options().whatsappVersion).toBe('');
    await session.stop();
  });

  it('pins the WhatsApp Web version it is given', async () => {
    const chromium = fakeBrowser();
    const wpp = fakeCreate();
    const driver = createWppconnectDriver({
      dataDir: bed.dataDir,
      chromiumPath: process.execPath,
      whatsappWebVersion: '2.3000.x',
      create: wpp.create,
      launch: chromium.launch,
      resolveHost: () => Promise.resolve(),
    });
    wpp.release();
    const session = await driver.start({ sessionId: 's1', callbacks: recorder().callbacks });
    expect(wpp.options().whatsappVersion).toBe('2.3000.x');
    await session.stop();
  });

  it('starts a saved session whose profile a Chromium of another container left locked', async () => {
    const profile = profileDir(bed.dataDir, 's1');
    await mkdir(profile, { recursive: true });
    await writeFile(join(profile, 'Local State'), '{}');
    await symlink('4f1c2a9b7d3e-57', join(profile, 'SingletonLock'));
    const chromium = fakeBrowser();
    // As Chromium does: a profile locked by another host is refused.
    const launch = vi.fn(async (options: LaunchOptions) => {
      const locked = await lstat(join(options.userDataDir!, 'SingletonLock')).then(
        () => true,
        () => false,
      );
      if (locked) throw new Error('The profile appears to be in use by another Chromium process');
      return chromium.browser as unknown as Browser;
    });
    const wpp = fakeCreate();
    const driver = createWppconnectDriver({
      dataDir: bed.dataDir,
      chromiumPath: process.execPath,
      create: wpp.create,
      launch,
      resolveHost: () => Promise.resolve(),
    });
    wpp.release();
    const session = await driver.start({ sessionId: 's1', callbacks: recorder().callbacks });
    expect(wpp.options().session).toBe('s1');
    await session.stop();
  });

  it('restores a login from its backup when this process has no profile, and backs it up once connected', async () => {
    // Another process's profile, backed up: what a takeover finds in the database.
    const elsewhere = profileDir(`${bed.dataDir}-elsewhere`, 's1');
    await mkdir(join(elsewhere, 'Default'), { recursive: true });
    await writeFile(join(elsewhere, 'Default', 'Cookies'), 'linked');
    const saved = new Map<string, Buffer>([['s1', await archiveProfile(elsewhere)]]);
    const backups: LoginBackups = {
      save: (sessionId, archive) => Promise.resolve(void saved.set(sessionId, archive)),
      load: (sessionId) => Promise.resolve(saved.get(sessionId)),
      remove: (sessionId) => Promise.resolve(void saved.delete(sessionId)),
    };
    const { wpp, seen, start } = setUp('resolve', 5000, 5000, { backups });
    wpp.release();
    const session = await start();
    expect(seen.statuses[0]).toEqual({ type: 'connecting', restoring: true });
    expect(await readFile(join(profileDir(bed.dataDir, 's1'), 'Default', 'Cookies'), 'utf8')).toBe('linked');

    saved.clear();
    wpp.statusFind('inChat');
    wpp.client.play('state', 'CONNECTED');
    await vi.waitFor(() => expect(saved.has('s1')).toBe(true));
    await session.stop();
    await rm(`${bed.dataDir}-elsewhere`, { recursive: true, force: true });
  });
});
