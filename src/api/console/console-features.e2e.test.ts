/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  aria,
  itemWithText,
  openPage,
  signInToConsole,
  useConsoleGateway,
  waitForText,
} from '../../../test-support/console-browser.js';
import { connectedSession } from '../../../test-support/connected-session.js';

/** A 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Half a second of silence as 8 kHz 8-bit mono WAV. */
function wav(): Buffer {
  const samples = Buffer.alloc(4000, 128);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

describe('the web console: linking by phone number, marking read, media', () => {
  const bed = useConsoleGateway();
  const company = 'console-features';

  async function openSession(p: Page, name: string) {
    const sessions = (await p.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(p, sessions, name);
    await (await (await itemWithText(sessions, name)).waitForSelector(`::-p-text(${name})`))!.click();
    await p.waitForFunction(
      (wanted) => document.getElementById('detail-title')?.textContent === wanted,
      {},
      name,
    );
  }

  it('links a session by phone number: the pairing code from the start reply and from the status frames', async () => {
    const manager = bed.api.token(company, 'MANAGER');
    const created = await bed.api.call('POST', '/sessions', {
      token: manager,
      body: { Session_Name: 'Por número', Phone_Number: '5511977776666' },
    });
    const id = created.body.Id as string;
    // A second tab watching the same company learns the code from the status_change frame.
    const watcher = await openPage(bed.browser, ['en-US']);
    await signInToConsole(watcher, bed.api.url, manager);
    await openSession(watcher, 'Por número');

    const page = await bed.openPage(['en-US'], 360);
    await signInToConsole(page, bed.api.url, manager);
    const sessions = (await page.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(page, sessions, 'Por número');
    const item = await itemWithText(sessions, 'Por número');
    await (await item.waitForSelector(aria('button', 'Link with phone number')))!.click();
    const phone = (await page.waitForSelector(aria('textbox', 'Phone number to link')))!;
    expect(await phone.evaluate((input) => (input as HTMLInputElement).value)).toBe('5511977776666');
    await page.locator(aria('button', 'Get pairing code')).click();

    const shown = (await page.waitForSelector('.pairing-code'))!;
    const code = await shown.evaluate((el) => el.textContent);
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await waitForText(page, sessions, 'waiting for code');
    const status = await bed.api.call('GET', `/whatsapp/sessions/${id}/status`, { token: manager });
    expect(status.body.pairingCode).toBe(code);
    const watched = (await watcher.waitForSelector('.pairing-code'))!;
    await watcher.waitForFunction((el, wanted) => el.textContent === wanted, {}, watched, code);

    // A tab opened now learns the code from the status greeting (which has none) and a status read.
    const late = await openPage(bed.browser, ['en-US']);
    await signInToConsole(late, bed.api.url, manager);
    await openSession(late, 'Por número');
    const lateCode = (await late.waitForSelector('.pairing-code'))!;
    await late.waitForFunction((el, wanted) => el.textContent === wanted, {}, lateCode, code);

    expect(
      (await bed.api.call('POST', `/simulator/sessions/${id}/pair`, { token: manager, body: { code } }))
        .status,
    ).toBe(204);
    await page.waitForFunction(
      (list) => list.textContent?.includes('connected') && !list.textContent.includes('waiting'),
      {},
      sessions,
    );
    await page.waitForSelector('.pairing-code', { hidden: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await watcher.waitForSelector('.pairing-code', { hidden: true });
    await watcher.close();
    await late.close();
  });

  it('marks a chat read: the unread count goes to 0 at once, and stays 0 for the gateway', async () => {
    const id = await connectedSession(bed.api, company, 'Leitura');
    const admin = bed.api.token(company, 'ADMIN');
    for (const body of ['Bom dia', 'Tem alguém aí?'])
      await bed.api.call('POST', `/simulator/sessions/${id}/incoming`, {
        token: admin,
        body: { from: '5511955554444', body, name: 'Ana' },
      });
    const page = await bed.openPage(['en-US']);
    // An AGENT may mark read too (it reads and answers chats).
    await signInToConsole(page, bed.api.url, bed.api.token(company, 'AGENT'));
    await openSession(page, 'Leitura');
    const chats = (await page.waitForSelector(aria('list', 'Chats')))!;
    await waitForText(page, chats, '2 unread');
    await (await chats.waitForSelector('::-p-text(Ana)'))!.click();
    const messages = (await page.waitForSelector(aria('list', 'Messages')))!;
    await waitForText(page, messages, 'Tem alguém aí?');

    await page.locator(aria('button', 'Mark as read')).click();
    await page.waitForFunction((list) => !list.textContent?.includes('unread'), {}, chats);
    const read = await bed.api.call('GET', `/whatsapp/sessions/${id}/chats`, { token: admin });
    expect((read.body.chats as { unreadCount: number }[])[0]!.unreadCount).toBe(0);

    await bed.api.call('POST', `/simulator/sessions/${id}/incoming`, {
      token: admin,
      body: { from: '5511955554444', body: 'Oi?', name: 'Ana' },
    });
    await waitForText(page, chats, '1 unread');
  });

  it('shows media from the media endpoint, fetched with the token in a header: image, audio player, document link', async () => {
    const id = await connectedSession(bed.api, company, 'Mídia');
    const admin = bed.api.token(company, 'ADMIN');
    await bed.api.call('POST', `/simulator/sessions/${id}/incoming`, {
      token: admin,
      body: { from: '5511933332222', body: 'Vou mandar uns arquivos', name: 'Bruno' },
    });
    const page = await bed.openPage(['en-US']);
    const mediaRequests: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/media'))
        mediaRequests.push({ url: request.url(), authorization: request.headers().authorization });
    });
    const refusedByPolicy: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refusedByPolicy.push(message.text());
    });
    await signInToConsole(page, bed.api.url, admin);
    await openSession(page, 'Mídia');
    const chats = (await page.waitForSelector(aria('list', 'Chats')))!;
    await (await chats.waitForSelector('::-p-text(Bruno)'))!.click();
    const messages = (await page.waitForSelector(aria('list', 'Messages')))!;
    await waitForText(page, messages, 'Vou mandar uns arquivos');

    // Sent while the chat is open: the frames come before the downloads end.
    for (const media of [
      { mimetype: 'image/png', caption: 'Foto da fachada', data: png.toString('base64') },
      { mimetype: 'audio/wav', fileName: 'recado.wav', data: wav().toString('base64') },
      {
        mimetype: 'application/pdf',
        fileName: 'contrato.pdf',
        data: Buffer.from('%PDF-1.4 contrato').toString('base64'),
      },
    ])
      expect(
        (
          await bed.api.call('POST', `/simulator/sessions/${id}/incoming`, {
            token: admin,
            body: { from: '5511933332222', body: '', media },
          })
        ).status,
      ).toBe(202);

    const image = (await messages.waitForSelector(aria('image', 'Foto da fachada')))!;
    await page.waitForFunction(
      (img) =>
        (img as HTMLImageElement).src.startsWith('blob:') && (img as HTMLImageElement).naturalWidth === 1,
      {},
      image,
    );
    const audio = (await messages.waitForSelector('audio[aria-label="Media: recado.wav"]'))!;
    await page.waitForFunction(
      (element) => element.src.startsWith('blob:') && element.duration > 0,
      {},
      audio,
    );
    const document = (await messages.waitForSelector('a.document-link'))!;
    expect(
      await document.evaluate((link) => [
        link.textContent,
        link.href.slice(0, 5),
        link.getAttribute('download'),
      ]),
    ).toEqual(['contrato.pdf', 'blob:', 'contrato.pdf']);

    expect(mediaRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of mediaRequests) {
      expect(request.url).toMatch(/\/whatsapp\/sessions\/[^/]+\/messages\/[^/]+\/media$/);
      expect(request.authorization).toBe(`Bearer ${admin}`);
    }
    expect(refusedByPolicy).toEqual([]);
  });

  it('shows an AGENT neither webhooks nor linking by phone number', async () => {
    await bed.api.call('POST', '/sessions', {
      token: bed.api.token(company, 'ADMIN'),
      body: { Session_Name: 'Agente' },
    });
    const page = await bed.openPage(['en-US']);
    await signInToConsole(page, bed.api.url, bed.api.token(company, 'AGENT'));
    await waitForText(page, (await page.waitForSelector(aria('list', 'Sessions')))!, 'Agente');
    for (const name of ['Webhooks', 'Link with phone number', 'New webhook'])
      expect(await page.$(aria('button', name)), name).toBeNull();
  });
});
