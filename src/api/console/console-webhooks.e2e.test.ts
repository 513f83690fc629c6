/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aria,
  signInToConsole,
  useConsoleGateway,
  waitForText,
} from '../../../test-support/console-browser.js';
import { connectedSession } from '../../../test-support/connected-session.js';
import { eventually } from '../../../test-support/eventually.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.js';

describe('the web console: the webhooks page', () => {
  const bed = useConsoleGateway({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_INITIAL_MS: '300',
    WEBHOOK_POLL_MS: '200',
  });
  let receiver: WebhookReceiver;
  const company = 'console-webhooks';

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('manages webhooks: create (secret shown once), the delivery log, retry, replay, turn off, delete', async () => {
    const id = await connectedSession(bed.api, company, 'Ganchos');
    const manager = bed.api.token(company, 'MANAGER');
    let failing = true;
    receiver.answer('/crm', () => (failing ? 'fail' : 'ok'));
    const page = await bed.openPage(['en-US'], 360);
    await signInToConsole(page, bed.api.url, manager);
    await page.locator(aria('button', 'Webhooks')).click();
    await page.locator(aria('button', 'New webhook')).click();
    await page.locator(aria('textbox', 'Webhook URL')).fill(receiver.url('/crm'));
    await page.locator(aria('checkbox', 'ack')).click();
    await page.waitForSelector(aria('combobox', 'Sessions covered'));
    await page.select('#webhook-scope', id);
    await page.locator(aria('button', 'Create')).click();

    const secretField = (await page.waitForSelector(aria('textbox', 'Secret')))!;
    const secret = await secretField.evaluate((input) => (input as HTMLInputElement).value);
    expect(secret).toMatch(/^whsec_/);
    const stored = (await bed.api.call('GET', '/webhooks', { token: manager })).body as unknown as {
      id: string;
      url: string;
      events: string[];
      sessionId: string | null;
    }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ url: receiver.url('/crm'), sessionId: id });
    expect([...stored[0]!.events].sort()).toEqual(['ack', 'message']);
    expect(JSON.stringify(stored)).not.toContain(secret);
    await page.locator(aria('button', 'Done')).click();
    await page.waitForSelector(aria('textbox', 'Secret'), { hidden: true });

    const list = (await page.waitForSelector(aria('list', 'Webhooks')))!;
    await waitForText(page, list, receiver.url('/crm'));
    await waitForText(page, list, 'Ganchos');

    await bed.api.call('POST', `/simulator/sessions/${id}/incoming`, {
      token: manager,
      body: { from: '5511911112222', body: 'Quero um orçamento' },
    });
    await eventually(() => receiver.at('/crm').length >= 1 || undefined);
    await (await list.waitForSelector(aria('button', 'Deliveries')))!.click();
    const log = (await list.waitForSelector('::-p-aria([role="table"])'))!;
    await waitForText(page, log, 'message');
    await waitForText(page, log, '503');

    failing = false;
    const before = receiver.at('/crm').length;
    await (await log.waitForSelector(aria('button', 'Retry')))!.click();
    await page.waitForSelector('::-p-text(The delivery is queued again.)');
    await eventually(() => receiver.at('/crm').length > before || undefined);
    await eventually(async () => {
      await (await list.waitForSelector(aria('button', 'Refresh')))!.click();
      return (await log.evaluate((table) => table.textContent))?.includes('delivered') || undefined;
    });

    const delivered = receiver.at('/crm').length;
    await (await list.waitForSelector(aria('button', 'Replay')))!.click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[role="status"]')).some((notice) =>
        /(One delivery|\d+ deliveries) queued again\./.test(notice.textContent ?? ''),
      ),
    );
    await eventually(() => receiver.at('/crm').length > delivered || undefined);
    const replayed = receiver.at('/crm').at(-1)!;
    expect(replayed.headers['webhook-id']).toBe(receiver.at('/crm')[0]!.headers['webhook-id']);

    await (await list.waitForSelector(aria('button', 'Disable')))!.click();
    await waitForText(page, list, 'off');
    expect((await bed.api.call('GET', `/webhooks/${stored[0]!.id}`, { token: manager })).body.enabled).toBe(
      false,
    );

    await (await list.waitForSelector(aria('button', 'Delete')))!.click();
    await page.waitForSelector(
      `::-p-text(Delete the webhook to ${receiver.url('/crm')} and its delivery log?)`,
    );
    expect((await bed.api.call('GET', '/webhooks', { token: manager })).body).toHaveLength(1);
    await page.locator(aria('button', 'Yes, delete')).click();
    await page.waitForSelector('::-p-text(No webhooks yet.)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect((await bed.api.call('GET', '/webhooks', { token: manager })).body).toHaveLength(0);
  });
});
