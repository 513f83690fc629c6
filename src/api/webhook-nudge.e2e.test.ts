import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';

/**
 * A delivery queued by one gateway process is sent at once by another: the session runs on process A, the
 * webhook is known only to process B (A would read the list of webhooks again only after minutes), and nothing
 * polls within the test's time. Only the fan-out's notification can wake B's lane.
 */
describe('webhook deliveries queued by another gateway process', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof pair.caller>;
  let sessionId: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    pair = await startGatewayPair('webhook_nudge', {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_MS: '600000',
    });
    call = pair.caller('acme');
    sessionId = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Vendas' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(pair.a.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );
    expect(pair.a.supervisor.driverSession(sessionId)).toBeDefined();
  });
  afterAll(async () => {
    await pair?.dispose();
    await receiver?.close();
  });

  it('are sent promptly by a process that did not store the event, with no poll in between', async () => {
    const created = await call(pair.b.url, 'POST', '/webhooks', {
      url: receiver.url('/elsewhere'),
      events: ['message'],
    });
    expect(created.status).toBe(201);

    const sentAt = Date.now();
    const incoming = await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
      from: '5511988887777',
      body: 'stored on A, sent by B',
    });
    expect(incoming.status).toBe(202);

    const [delivery] = await eventually(
      () => receiver.at('/elsewhere').length > 0 && receiver.at('/elsewhere'),
    );
    expect(delivery!.body).toContain('stored on A, sent by B');
    // Far below the poll (10 minutes); generous for a loaded machine.
    expect(delivery!.receivedAt - sentAt).toBeLessThan(10_000);
  });
});
