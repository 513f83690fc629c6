import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbGateway } from '../../test-support/eventstoredb-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';

/** On EventStoreDB there is no transaction shared with the events: deliveries are queued by following the store. */
describe('webhooks on the EventStoreDB store', () => {
  let api: TestGateway;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    api = await startEventStoreDbGateway({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await api?.dispose();
    await receiver?.close();
  });

  it('delivers signed status changes and messages stored after the webhook was registered', async () => {
    const token = api.token('acme', 'ADMIN');
    const created = await api.call('POST', '/webhooks', {
      token,
      body: { url: receiver.url('/esdb'), events: ['*'] },
    });
    expect(created.status).toBe(201);
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'ESDB' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token });
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token });
    await eventually(
      async () =>
        (await api.call('GET', `/whatsapp/sessions/${id}/status`, { token })).body.isConnected === true,
    );
    await api.call('POST', `/simulator/sessions/${id}/incoming`, {
      token,
      body: { from: '5511988887777', body: 'Via EventStoreDB' },
    });
    const verifier = new Webhook(created.body.secret as string);
    const bodies = await eventually(() => {
      const verified = receiver.at('/esdb').map(
        (request) =>
          verifier.verify(request.body, request.headers as Record<string, string>) as {
            type: string;
            data: Record<string, unknown>;
          },
      );
      return verified.some((body) => body.type === 'message') && verified;
    }, 20_000);
    expect(bodies.map((body) => body.type)).toContain('status_change');
    expect(bodies.find((body) => body.type === 'message')!.data).toMatchObject({ body: 'Via EventStoreDB' });
    const qr = bodies.find((body) => body.data.status === 'qr');
    expect(qr?.data.qrCode).toMatch(/^data:image\/png;base64,/);
  });
});
