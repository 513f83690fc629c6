import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';
import { loadConfig } from '../config.js';
import { startGateway, type Gateway } from '../gateway.js';
import { signToken } from '../sign-token.js';

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  correlationId: string | null;
}

describe('webhooks (PostgreSQL, NATS, a real receiver)', () => {
  let services: GatewayServices;
  let gateway: Gateway;
  let receiver: WebhookReceiver;
  let sessionId: string;
  const outcomes: string[] = [];
  const admin = gatewayCaller(
    signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'a', ttl: '1h' }),
  );
  const agent = gatewayCaller(
    signToken(jwtSecret, { companyId: 'acme', role: 'AGENT', sub: 'b', ttl: '1h' }),
  );
  const stranger = gatewayCaller(
    signToken(jwtSecret, { companyId: 'other', role: 'ADMIN', sub: 'c', ttl: '1h' }),
  );
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

  const start = async () => {
    gateway = await startGateway(
      loadConfig({
        ...services.env,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_RETRY_INITIAL_MS: '300',
        WEBHOOK_POLL_MS: '200',
      }),
      { subjectRoot: services.subjectRoot, onWebhookOutcome: (outcome) => outcomes.push(outcome) },
    );
  };
  const register = async (path: string, events: string[] = ['message']) => {
    const { status, body } = await admin(gateway.url, 'POST', '/webhooks', {
      url: receiver.url(path),
      events,
      secret,
    });
    expect(status).toBe(201);
    return body.id as string;
  };
  const incoming = async (text: string) => {
    const { status } = await admin(gateway.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
      from: '5511988887777',
      body: text,
    });
    expect(status).toBe(202);
  };
  const deliveries = async (webhookId: string, query = '') =>
    (await admin(gateway.url, 'GET', `/webhooks/${webhookId}/deliveries${query}`)).body
      .deliveries as Delivery[];
  const bodiesAt = (path: string) =>
    receiver.at(path).map((request) => JSON.parse(request.body) as { id: string; data: { body: string } });

  beforeAll(async () => {
    services = await openGatewayServices('webhooks', jwtSecret);
    receiver = await startWebhookReceiver();
    await start();
    sessionId = (await admin(gateway.url, 'POST', '/sessions', { Session_Name: 'Vendas' })).body.Id as string;
    await admin(gateway.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await admin(gateway.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await admin(gateway.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await receiver?.close();
    await services?.dispose();
  });

  it('refuses bad input with 400 and says what is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{ url: 'ftp://crm.example/hook', events: ['message'] }, /http/],
      [{ url: 'https://user:pw@crm.example/hook', events: ['message'] }, /password/],
      [{ url: `https://crm.example/${'a'.repeat(2048)}`, events: ['message'] }, /2048/],
      [
        { url: 'https://crm.example/hook', events: ['message', 'bogus'] },
        /bogus.*message, ack, status_change, reaction, message_edit, message_revoke, poll_vote, group_update/,
      ],
      [{ url: 'https://crm.example/hook', events: ['message'], secret: 'plain' }, /whsec_/],
      [{ url: 'https://crm.example/hook', events: [] }, /at least one/],
    ];
    for (const [body, problem] of cases) {
      const reply = await admin(gateway.url, 'POST', '/webhooks', body);
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).toMatch(problem);
    }
    expect((await admin(gateway.url, 'GET', '/webhooks')).body).toEqual([]);
  });

  it('lets only ADMIN and MANAGER manage webhooks', async () => {
    const reply = await agent(gateway.url, 'POST', '/webhooks', { url: receiver.url('/x'), events: ['*'] });
    expect(reply.status).toBe(403);
  });

  it('signs deliveries so that the standardwebhooks library verifies them', async () => {
    const created = await admin(gateway.url, 'POST', '/webhooks', {
      url: receiver.url('/signed'),
      events: ['message'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: receiver.url('/signed'),
      events: ['message'],
      sessionId: null,
      enabled: true,
    });
    const generated = created.body.secret as string;
    expect(generated).toMatch(/^whsec_/);
    expect(
      JSON.stringify((await admin(gateway.url, 'GET', `/webhooks/${created.body.id as string}`)).body),
    ).not.toContain(generated);

    await incoming('Assinado');
    const [request] = await eventually(() => receiver.at('/signed').length > 0 && receiver.at('/signed'));
    const verified = new Webhook(generated).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toMatchObject({
      type: 'message',
      companyId: 'acme',
      sessionId,
      data: { body: 'Assinado', direction: 'IN', chatId: '5511988887777@c.us' },
    });
    expect(request!.headers['webhook-id']).toBe((verified as { id: string }).id);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        request!.body,
        request!.headers as Record<string, string>,
      ),
    ).toThrow();
    const log = await eventually(async () => {
      const entries = await deliveries(created.body.id as string);
      return entries[0]?.status === 'delivered' && entries;
    });
    expect(log[0]).toMatchObject({ type: 'message', status: 'delivered', attempts: 1, lastStatusCode: 204 });
    await admin(gateway.url, 'DELETE', `/webhooks/${created.body.id as string}`);
  });

  it('retries a failed delivery with backoff and the same webhook-id until the receiver takes it', async () => {
    receiver.answer('/flaky', (n) => (n <= 2 ? 'fail' : 'ok'));
    const id = await register('/flaky');
    await incoming('Tente de novo');
    await eventually(() => receiver.at('/flaky').length === 3);
    expect(new Set(receiver.at('/flaky').map((request) => request.headers['webhook-id'])).size).toBe(1);
    const [first, second, third] = receiver.at('/flaky').map((request) => request.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(140);
    expect(third! - second!).toBeGreaterThan(second! - first! - 300);
    const [entry] = await eventually(async () => {
      const entries = await deliveries(id);
      return entries[0]?.status === 'delivered' && entries;
    });
    expect(entry).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null });
    expect(outcomes).toEqual(expect.arrayContaining(['retried', 'delivered']));
    await admin(gateway.url, 'DELETE', `/webhooks/${id}`);
  });

  it('keeps sending to other endpoints promptly, in order, while one receiver hangs', async () => {
    receiver.answer('/hang', () => 'hang');
    const hung = await register('/hang');
    const fast = await register('/fast');
    const texts = ['um', 'dois', 'três', 'quatro', 'cinco'];
    const started = Date.now();
    for (const text of texts) await incoming(text);
    await eventually(() => receiver.at('/fast').length === texts.length, 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(bodiesAt('/fast').map((body) => body.data.body)).toEqual(texts);
    // The hung receiver was cut at the timeout and waits for a retry, its session's later events behind it.
    const [oldest] = await eventually(async () => {
      const entries = (await deliveries(hung, '?status=pending')).reverse();
      return Boolean(entries[0]?.lastError) && entries;
    });
    expect(oldest!.lastError).toMatch(/1000 ms/);
    expect(
      receiver
        .at('/hang')
        .every((request) => request.headers['webhook-id'] === receiver.at('/hang')[0]!.headers['webhook-id']),
    ).toBe(true);
    await admin(gateway.url, 'DELETE', `/webhooks/${hung}`);
    await admin(gateway.url, 'DELETE', `/webhooks/${fast}`);
  });

  it('resumes retries after the gateway restarts, with the same webhook-id', async () => {
    let up = false;
    receiver.answer('/restart', () => (up ? 'ok' : 'fail'));
    const id = await register('/restart');
    await incoming('Antes de reiniciar');
    await eventually(() => receiver.at('/restart').length >= 2);
    await gateway.stop();
    up = true;
    await start();
    await eventually(async () => (await deliveries(id))[0]?.status === 'delivered');
    const ids = new Set(receiver.at('/restart').map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(bodiesAt('/restart').at(-1)!.data.body).toBe('Antes de reiniciar');
    await admin(gateway.url, 'DELETE', `/webhooks/${id}`);
  });

  it('sends one delivery again on request, and replays every matching event since a time', async () => {
    const since = new Date().toISOString();
    const id = await register('/replay');
    await incoming('primeira');
    await incoming('segunda');
    await eventually(() => receiver.at('/replay').length === 2);
    const [latest] = await deliveries(id);
    const retried = await admin(gateway.url, 'POST', `/webhooks/${id}/deliveries/${latest!.id}/retry`);
    expect(retried.status).toBe(202);
    await eventually(() => receiver.at('/replay').length === 3);
    expect(receiver.at('/replay')[2]!.headers['webhook-id']).toBe(latest!.eventId);

    const replayed = await admin(gateway.url, 'POST', `/webhooks/${id}/replay`, { from: since });
    expect(replayed.status).toBe(202);
    await eventually(() => receiver.at('/replay').length === 5);
    expect(
      bodiesAt('/replay')
        .slice(3)
        .map((body) => body.data.body),
    ).toEqual(['primeira', 'segunda']);
    expect(bodiesAt('/replay')[3]!.id).toBe(bodiesAt('/replay')[0]!.id);
    expect((await admin(gateway.url, 'POST', `/webhooks/${id}/deliveries/999999/retry`)).status).toBe(404);
    await admin(gateway.url, 'DELETE', `/webhooks/${id}`);
  });

  it('keeps the correlation id of the request that caused the event in the delivery log', async () => {
    const id = await register('/correlated');
    const sent = await admin(
      gateway.url,
      'POST',
      '/whatsapp/messages/send',
      { sessionId, to: '5511977776666', message: 'Olá' },
      { 'x-request-id': 'corr-webhook-1' },
    );
    expect(sent.status).toBe(200);
    const log = await eventually(async () => {
      const entries = await deliveries(id);
      return entries.some((entry) => entry.correlationId === 'corr-webhook-1') && entries;
    });
    expect(log.find((entry) => entry.correlationId === 'corr-webhook-1')).toMatchObject({ type: 'message' });
    await admin(gateway.url, 'DELETE', `/webhooks/${id}`);
  });

  it('answers 404 for another company’s webhook, and keeps it out of its list', async () => {
    const id = await register('/private', ['*']);
    for (const [method, path, body] of [
      ['GET', `/webhooks/${id}`, undefined],
      ['PATCH', `/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/webhooks/${id}`, undefined],
      ['GET', `/webhooks/${id}/deliveries`, undefined],
      ['POST', `/webhooks/${id}/replay`, { from: new Date(0).toISOString() }],
    ] as const) {
      expect((await stranger(gateway.url, method, path, body)).status).toBe(404);
    }
    expect((await stranger(gateway.url, 'GET', '/webhooks')).body).toEqual([]);
    const patched = await admin(gateway.url, 'PATCH', `/webhooks/${id}`, { enabled: false, events: ['ack'] });
    expect(patched.body).toMatchObject({ enabled: false, events: ['ack'] });
    expect((await admin(gateway.url, 'DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await admin(gateway.url, 'GET', `/webhooks/${id}`)).status).toBe(404);
  });

  it('documents every webhook route in the OpenAPI document, under the webhooks tag', async () => {
    const document = (await fetch(`${gateway.url}/docs/json`).then((response) => response.json())) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const expected = {
      '/webhooks': ['post', 'get'],
      '/webhooks/{id}': ['get', 'patch', 'delete'],
      '/webhooks/{id}/deliveries': ['get'],
      '/webhooks/{id}/deliveries/{deliveryId}/retry': ['post'],
      '/webhooks/{id}/replay': ['post'],
    };
    for (const [path, methods] of Object.entries(expected))
      for (const method of methods) expect(document.paths[path]?.[method]?.tags).toEqual(['webhooks']);
  });
});
