/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import type { ElementHandle } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  aria,
  itemWithText,
  signInToConsole,
  useConsoleGateway,
  waitForText,
} from '../../../test-support/console-browser.js';

describe('the web console shows a conversation as WhatsApp does', () => {
  const bed = useConsoleGateway({ RATE_LIMIT_PER_MINUTE: '100000' });
  const company = 'console-conversation';
  const contact = '5511944443333';

  it('pages back through history, and shows replies, reactions, edits, deletions and locations live', async () => {
    const admin = bed.api.token(company, 'ADMIN');
    const sessionId = (
      await bed.api.call('POST', '/sessions', { token: admin, body: { Session_Name: 'Conversa' } })
    ).body.Id as string;
    await bed.api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    await bed.api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
    const simulate = async (action: string, body: Record<string, unknown>) => {
      const reply = await bed.api.call('POST', `/simulator/sessions/${sessionId}/${action}`, {
        token: admin,
        body,
      });
      expect([202, 204], JSON.stringify(reply.body)).toContain(reply.status);
      return reply.body.id as string;
    };
    // One more than a page of 50.
    const ids: string[] = [];
    for (let n = 1; n <= 52; n++)
      ids.push(
        await simulate('incoming', { from: contact, body: `m-${String(n).padStart(3, '0')}`, name: 'Davi' }),
      );

    const page = await bed.openPage(['en-US'], 360);
    await signInToConsole(page, bed.api.url, bed.api.token(company, 'AGENT'));
    const chats = (await page.waitForSelector(aria('list', 'Chats')))!;
    await (await chats.waitForSelector('::-p-text(Davi)'))!.click();
    const messages = (await page.waitForSelector(aria('list', 'Messages')))!;
    await waitForText(page, messages, 'm-052');
    expect(await messages.evaluate((list) => list.textContent)).not.toContain('m-001');
    await page.locator(aria('button', 'Older messages')).click();
    await waitForText(page, messages, 'm-001');
    await page.waitForSelector(aria('button', 'Older messages'), { hidden: true });

    const reply = await simulate('incoming', { from: contact, body: 'Sobre isso aqui', quotedId: ids[51] });
    await waitForText(page, messages, 'Sobre isso aqui');
    const replyItem = await itemWithText(messages, 'Sobre isso aqui');
    expect(await replyItem.$eval('blockquote', (quote) => quote.textContent)).toBe('reply to m-052');

    await simulate('react', { from: contact, messageId: ids[51], emoji: '👍' });
    await waitForText(page, await itemWithText(messages, 'm-052'), '👍');

    await simulate('edit', { from: contact, messageId: reply, body: 'Sobre isso aqui, corrigido' });
    await waitForText(page, messages, 'Sobre isso aqui, corrigido');
    await waitForText(page, await itemWithText(messages, 'Sobre isso aqui, corrigido'), 'edited');

    await simulate('revoke', { from: contact, messageId: ids[50] });
    await page.waitForFunction((list) => !list.textContent?.includes('m-051'), {}, messages);
    await waitForText(page, messages, 'This message was deleted.');

    await simulate('incoming', {
      from: contact,
      body: '',
      location: { lat: -23.55052, lng: -46.633309, description: 'Loja Centro' },
    });
    await waitForText(page, messages, 'Location: Loja Centro');
    const map = (await messages.waitForSelector(
      '::-p-text(-23.55052, -46.63331)',
    )) as ElementHandle<HTMLAnchorElement>;
    expect(await map.evaluate((link) => link.href)).toContain('mlat=-23.55052');

    // Keyboard: Enter sends; an AGENT answers.
    await page.locator(aria('textbox', 'Message')).click();
    await page.keyboard.type('Até já');
    await page.keyboard.press('Enter');
    await waitForText(page, messages, 'Até já');
    // The only message sent from here: its ticks move on to read.
    await messages.waitForSelector(aria('image', 'read'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
