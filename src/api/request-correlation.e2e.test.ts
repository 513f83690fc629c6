import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

interface AuditEvent {
  type: string;
  correlationId: string;
  data: Record<string, unknown>;
}

describe('one request id from HTTP to WhatsApp (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  const to = '5511977776666';

  const events = async () =>
    (await api.call('GET', `/audit/sessions/${sessionId}/events?limit=1000`, { token: admin })).body
      .events as AuditEvent[];
  const send = (headers: Record<string, string>, message: string) =>
    fetch(`${api.url}/whatsapp/messages/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ sessionId, to, message }),
    });
  /** The events of one message, once it was sent. */
  const eventsOfMessage = (messageId: unknown) =>
    eventually(async () => {
      const mine = (await events()).filter((e) => e.data.messageId === messageId);
      return mine.some((e) => e.type === 'MessageSent') && mine;
    });

  beforeAll(async () => {
    ({ api, admin, sessionId } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it("carries the client's X-Request-Id from the request through MessageSendRequested to MessageSent", async () => {
    const response = await send({ 'x-request-id': 'order-7781.checkout' }, 'Seu pedido saiu para entrega');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('order-7781.checkout');
    const requested = await eventually(async () =>
      (await events()).find(
        (e) => e.type === 'MessageSendRequested' && e.data.body === 'Seu pedido saiu para entrega',
      ),
    );
    const mine = await eventsOfMessage(requested.data.messageId);
    expect(mine.map((e) => e.type)).toEqual(
      expect.arrayContaining(['MessageSendRequested', 'MessageSendAttempted', 'MessageSent']),
    );
    expect(new Set(mine.map((e) => e.correlationId))).toEqual(new Set(['order-7781.checkout']));
  });

  it('makes an id when the client sends none (or an unsafe one), echoes it, and carries it the same way', async () => {
    const response = await send({ 'x-request-id': 'bad id with spaces' }, 'Pedido recebido');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const requested = await eventually(async () =>
      (await events()).find((e) => e.type === 'MessageSendRequested' && e.data.body === 'Pedido recebido'),
    );
    expect(requested.correlationId).toBe(id);
    const mine = await eventsOfMessage(requested.data.messageId);
    expect(new Set(mine.map((e) => e.correlationId))).toEqual(new Set([id]));
  });
});
