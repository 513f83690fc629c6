/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  aria,
  itemWithText,
  signInToConsole,
  submitConsoleToken,
  useConsoleGateway,
  waitForText,
} from '../../../test-support/console-browser.js';
import { signToken } from '../../sign-token.js';

describe('the web console in a real browser', () => {
  // Acks far enough apart for the ticks to be seen moving.
  const bed = useConsoleGateway({ SIMULATOR_ACK_DELAYS_MS: '300,900,1500' });
  const company = 'console-co';

  it('serves the console with a policy that allows only its own scripts, on /console only', async () => {
    const index = await fetch(`${bed.api.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = index.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${bed.api.url}${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${bed.api.url}/console/..%2f..%2fpackage.json`)).status).toBe(404);
    const redirect = await fetch(`${bed.api.url}/console?lang=en`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('/console/?lang=en');
    expect((await fetch(`${bed.api.url}/healthz`)).headers.get('content-security-policy')).toBeNull();
  });

  it('speaks Portuguese to a Portuguese browser, and English with ?lang=en', async () => {
    const page = await bed.openPage(['pt-BR', 'pt']);
    await page.goto(`${bed.api.url}/console/`);
    await page.waitForSelector(aria('button', 'Entrar'));
    expect(await page.$eval('html', (html) => html.lang)).toBe('pt-BR');
    await page.goto(`${bed.api.url}/console/?lang=en`);
    await page.waitForSelector(aria('button', 'Sign in'));
    expect(await page.$(aria('button', 'Entrar'))).toBeNull();
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
  });

  it('links a phone by QR code and chats live, without reloading, 360 px wide', async () => {
    const page = await bed.openPage(['en-US'], 360);
    const socketUrls: string[] = [];
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketCreated', (event) => socketUrls.push(event.url));
    const refusedByPolicy: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refusedByPolicy.push(message.text());
    });
    const admin = bed.api.token(company, 'ADMIN');
    await signInToConsole(page, bed.api.url, admin);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    await page.locator(aria('button', 'New session')).click();
    await page.locator(aria('textbox', 'Session name')).fill('Atendimento');
    await page.waitForSelector(aria('textbox', 'Phone number'));
    await page.locator(aria('button', 'Create')).click();
    const sessions = (await page.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(page, sessions, 'Atendimento');
    await waitForText(page, sessions, 'disconnected');
    const sessionId = (
      (await bed.api.call('GET', '/sessions', { token: admin })).body as { Id: string }[]
    )[0]!.Id;

    await page.locator(aria('button', 'Start')).click();
    const qr = (await page.waitForSelector(aria('image', 'QR code')))!;
    expect(await qr.evaluate((img) => (img as HTMLImageElement).src)).toMatch(/^data:image\/png;base64,/);
    expect(await page.$eval('body', (body) => body.textContent)).toMatch(/expires in \d+ s/);

    expect(
      (await bed.api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin })).status,
    ).toBe(204);
    await waitForText(page, sessions, 'connected');
    await page.waitForSelector(aria('image', 'QR code'), { hidden: true });

    await bed.api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
      token: admin,
      body: { from: '5511988887777', body: 'Oi, tudo bem?', name: 'João' },
    });
    const chats = (await page.waitForSelector(aria('list', 'Chats')))!;
    await waitForText(page, chats, '1 unread');
    await waitForText(page, chats, 'Oi, tudo bem?');
    await (await chats.waitForSelector('::-p-text(João)'))!.click();
    const messages = (await page.waitForSelector(aria('list', 'Messages')))!;
    await waitForText(page, messages, 'Oi, tudo bem?');

    await page.locator(aria('textbox', 'Message')).fill('Tudo ótimo!');
    await page.locator(aria('button', 'Send')).click();
    await waitForText(page, messages, 'Tudo ótimo!');
    await messages.waitForSelector(aria('image', 'delivered'));
    await messages.waitForSelector(aria('image', 'read'));

    const uploads = await mkdtemp(join(tmpdir(), 'zapledger-upload-'));
    const upload = join(uploads, 'nota.pdf');
    await writeFile(upload, '%PDF-1.4 a note');
    const picker = (await page.waitForSelector('input[type=file]')) as ElementHandle<HTMLInputElement>;
    expect(await picker.evaluate((input) => input.getAttribute('aria-label'))).toBe('Attach a file');
    await picker.uploadFile(upload);
    await page.locator(aria('textbox', 'Message')).fill('Segue a nota');
    await page.locator(aria('button', 'Send file')).click();
    await waitForText(page, messages, 'nota.pdf');
    await waitForText(page, messages, 'Segue a nota');
    await rm(uploads, { recursive: true, force: true });

    await page.locator(aria('button', 'Audit trail')).click();
    const audit = (await page.waitForSelector('::-p-aria([role="table"])'))!;
    await waitForText(page, audit, 'SessionRegistered');
    await waitForText(page, audit, 'SessionConnected');
    await waitForText(page, audit, `user ${'admin-of-' + company}`);

    expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
    expect(refusedByPolicy).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(socketUrls.length).toBeGreaterThan(0);
    expect(socketUrls.every((url) => !url.includes(admin) && !url.includes('token'))).toBe(true);

    // CONSOLE_SCREENSHOT=docs/console.png: the picture README shows.
    if (process.env.CONSOLE_SCREENSHOT) {
      await page.setViewport({ width: 1280, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT });
    }
  });

  it('renames a session, and deletes it only after a confirmation', async () => {
    const manager = bed.api.token(company, 'MANAGER');
    await bed.api.call('POST', '/sessions', { token: manager, body: { Session_Name: 'Cobrança' } });
    const page = await bed.openPage(['en-US']);
    await signInToConsole(page, bed.api.url, manager);
    const sessions = (await page.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(page, sessions, 'Cobrança');
    const item = (name: string) => itemWithText(sessions, name);

    await (await (await item('Cobrança')).waitForSelector(aria('button', 'Rename')))!.click();
    await page.locator(aria('textbox', 'Session name')).fill('Cobranças');
    await page.keyboard.press('Enter');
    await waitForText(page, sessions, 'Cobranças');

    await (await (await item('Cobranças')).waitForSelector(aria('button', 'Delete')))!.click();
    await page.waitForSelector('::-p-text(Delete the session “Cobranças” for good?)');
    const stored = (await bed.api.call('GET', '/sessions', { token: manager })).body as {
      Session_Name: string;
    }[];
    expect(stored.map((s) => s.Session_Name)).toContain('Cobranças');
    await page.locator(aria('button', 'Yes, delete')).click();
    await page.waitForFunction((list) => !list.textContent?.includes('Cobranças'), {}, sessions);
    const left = (await bed.api.call('GET', '/sessions', { token: manager })).body as {
      Session_Name: string;
    }[];
    expect(left.map((s) => s.Session_Name)).not.toContain('Cobranças');
  });

  it('shows an AGENT no management actions', async () => {
    const manager = bed.api.token(company, 'MANAGER');
    await bed.api.call('POST', '/sessions', { token: manager, body: { Session_Name: 'Vendas' } });
    const page = await bed.openPage(['en-US']);
    await signInToConsole(page, bed.api.url, bed.api.token(company, 'AGENT'));
    const sessions = (await page.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(page, sessions, 'Vendas');
    await page.waitForSelector(aria('list', 'Chats'));
    for (const name of ['New session', 'Start', 'Stop', 'Delete', 'Rename'])
      expect(await page.$(aria('button', name)), name).toBeNull();
    expect(await page.$(aria('image', 'QR code'))).toBeNull();
  });

  it('signs out with a message when the gateway refuses the token', async () => {
    const page = await bed.openPage(['en-US']);
    const forged = signToken('another-secret-that-is-long-enough-for-hs256-000', {
      companyId: company,
      role: 'ADMIN',
      sub: 'mallory',
      ttl: '1h',
    });
    await submitConsoleToken(page, bed.api.url, forged);
    await page.waitForSelector('::-p-text(The gateway refused the token)');
    await page.waitForSelector(aria('textbox', 'Token'));
  });

  it('signs out with a message when the token expires', async () => {
    const page = await bed.openPage(['en-US']);
    await signInToConsole(page, bed.api.url, () => bed.api.token(company, 'MANAGER', '3s'));
    await page.waitForSelector('::-p-text(Your token expired)', { timeout: 5000 });
    await page.waitForSelector(aria('textbox', 'Token'));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
