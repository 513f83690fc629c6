import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, type TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway, type SendingGateway } from '../../test-support/sending-gateway.js';

describe('sending messages (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  let chatEvents: SendingGateway['chatEvents'];
  const to = '5511988887777';

  beforeAll(async () => {
    ({ api, admin, sessionId, chatEvents } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('answers 200 with the WhatsApp id and the JID; acks reach the Messages table and the WebSocket', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const reply = await api.call('POST', '/whatsapp/messages/send', {
      token: api.token('acme', 'AGENT'),
      body: { sessionId, to, message: 'Olá! Como posso ajudar?' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      message: 'Mensagem enviada com sucesso',
      result: { id: expect.stringMatching(/^true_5511988887777@c\.us_/), to: '5511988887777@c.us' },
    });
    const id = (reply.body.result as { id: string }).id;
    await ws.next((f) => f.type === 'ack' && f.data.id === id && f.data.status === 4);
    const read = await eventually(async () => {
      const { body } = await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${to}/messages`, {
        token: admin,
      });
      const sent = (body.messages as { id: string; status: number }[]).find((m) => m.id === id);
      return sent?.status === 4 && body;
    });
    expect((read.messages as { id: string }[]).filter((m) => m.id === id)).toHaveLength(1);
    expect(
      (read.messages as { id: string; direction: string; fromMe: boolean; body: string }[]).find(
        (m) => m.id === id,
      ),
    ).toMatchObject({ direction: 'OUT', fromMe: true, body: 'Olá! Como posso ajudar?' });
    await ws.close();
  });

  it('sends once for ten concurrent requests with the same Idempotency-Key, and answers all ten alike', async () => {
    const send = () =>
      api.call('POST', '/whatsapp/messages/send', {
        token: admin,
        headers: { 'idempotency-key': 'order-42' },
        body: { sessionId, to, message: 'Pedido 42 confirmado' },
      });
    const replies = await Promise.all(Array.from({ length: 10 }, send));
    expect(new Set(replies.map((r) => JSON.stringify([r.status, r.body])))).toEqual(
      new Set([JSON.stringify([replies[0]!.status, replies[0]!.body])]),
    );
    expect(replies[0]!.status).toBe(200);
    const sends = (await chatEvents()).filter(
      (e) =>
        e.type === 'MessageSendAttempted' &&
        e.data.messageId === (replies[0]!.body.result as { id: string }) &&
        false,
    );
    expect(sends).toEqual([]);
    const requested = (await chatEvents()).filter(
      (e) => e.type === 'MessageSendRequested' && e.data.idempotencyKey === 'order-42',
    );
    expect(requested).toHaveLength(1);
    const attempts = (await chatEvents()).filter(
      (e) => e.type === 'MessageSendAttempted' && e.data.messageId === requested[0]!.data.messageId,
    );
    expect(attempts).toHaveLength(1);
    const again = await send();
    expect(again.body).toEqual(replies[0]!.body);
    const different = await api.call('POST', '/whatsapp/messages/send', {
      token: admin,
      headers: { 'idempotency-key': 'order-42' },
      body: { sessionId, to, message: 'Outra coisa' },
    });
    expect(different.status).toBe(422);
  });

  it('sends a new message under an Idempotency-Key reused after its purge, instead of answering the old one', async () => {
    const send = (message: string) =>
      api.call('POST', '/whatsapp/messages/send', {
        token: admin,
        headers: { 'idempotency-key': 'invoice-7' },
        body: { sessionId, to, message },
      });
    const first = await send('Fatura 7');
    expect(first.status).toBe(200);
    // What the hourly purge does to a key older than 7 days.
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    await db.query(`delete from idempotency_keys where key = 'invoice-7'`);
    await db.end();
    const again = await send('Fatura 7, segunda via');
    expect(again.status).toBe(200);
    expect((again.body.result as { id: string }).id).not.toBe((first.body.result as { id: string }).id);
    const requested = (await chatEvents()).filter(
      (e) => e.type === 'MessageSendRequested' && e.data.idempotencyKey === 'invoice-7',
    );
    expect(requested.map((e) => e.data.body)).toEqual(['Fatura 7', 'Fatura 7, segunda via']);
    expect(new Set(requested.map((e) => e.data.messageId)).size).toBe(2);
  });

  it('sends for a company whose id holds dots and spaces (escaped in bus subjects)', async () => {
    const dotted = api.token('acme.com.br filial', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token: dotted, body: { Session_Name: 'Pontos' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token: dotted });
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token: dotted });
    await eventually(
      async () =>
        (await api.call('GET', `/whatsapp/sessions/${id}/status`, { token: dotted })).body.isConnected ===
        true,
    );
    const reply = await api.call('POST', '/whatsapp/messages/send', {
      token: dotted,
      body: { sessionId: id, to, message: 'Empresa com pontos no id' },
    });
    expect(reply.status).toBe(200);
    expect((reply.body.result as { id: string }).id).toMatch(/^true_5511988887777@c\.us_/);
  });

  it('retries transient failures and sends on the third attempt; fails a permanent one at once', async () => {
    api.gateway.simulator!.failSends(sessionId, { count: 2, permanent: false });
    const retried = await api.call('POST', '/whatsapp/messages/send', {
      token: admin,
      body: { sessionId, to: '5511966665555', message: 'Terceira é a vez' },
    });
    expect(retried.status).toBe(200);
    const events = await chatEvents();
    const messageId = events.find(
      (e) => e.type === 'MessageSendRequested' && e.data.body === 'Terceira é a vez',
    )!.data.messageId;
    const mine = events
      .filter((e) => e.data.messageId === messageId)
      .map((e) => [e.type, e.data.attempt ?? null, e.data.final ?? null]);
    expect(mine).toEqual([
      ['MessageSendRequested', null, null],
      ['MessageSendAttempted', 1, null],
      ['MessageSendFailed', 1, false],
      ['MessageSendAttempted', 2, null],
      ['MessageSendFailed', 2, false],
      ['MessageSendAttempted', 3, null],
      ['MessageSent', null, null],
    ]);

    api.gateway.simulator!.failSends(sessionId, { count: 1, permanent: true });
    const failed = await api.call('POST', '/whatsapp/messages/send', {
      token: admin,
      body: { sessionId, to: '5511944443333', message: 'Número inexistente' },
    });
    expect(failed.status).toBe(502);
    expect(failed.body.message).toMatch(/not on WhatsApp/);
    const attempts = (await chatEvents()).filter(
      (e) =>
        e.type === 'MessageSendAttempted' &&
        e.data.messageId !== messageId &&
        String(e.data.messageId) !== '',
    );
    const failedId = (await chatEvents()).find(
      (e) => e.type === 'MessageSendRequested' && e.data.body === 'Número inexistente',
    )!.data.messageId;
    expect(attempts.filter((e) => e.data.messageId === failedId)).toHaveLength(1);
  });

  it('settles a send whose answer was lost by its echo, and never sends it again', async () => {
    const to = '5511922221111';
    api.gateway.simulator!.failSends(sessionId, {
      count: 1,
      permanent: false,
      reason: 'the page died during the send',
      answerLost: { delivered: true },
    });
    const delivered = await api.call('POST', '/whatsapp/messages/send', {
      token: admin,
      body: { sessionId, to, message: 'Chegou mesmo assim' },
    });
    expect(delivered.status).toBe(200);
    const mine = (await chatEvents()).filter((e) => e.data.body === 'Chegou mesmo assim');
    const echo = mine.find((e) => e.type === 'MessageReceived')!;
    expect((delivered.body.result as { id: string }).id).toBe(echo.data.waMessageId);

    api.gateway.simulator!.failSends(sessionId, {
      count: 1,
      permanent: false,
      reason: 'the page died during the send',
      answerLost: { delivered: false },
    });
    const lost = await api.call('POST', '/whatsapp/messages/send', {
      token: admin,
      body: { sessionId, to, message: 'Não chegou' },
    });
    expect(lost.status).toBe(502);
    expect(lost.body.message).toMatch(/no echo/);
    const lostId = (await chatEvents()).find(
      (e) => e.type === 'MessageSendRequested' && e.data.body === 'Não chegou',
    )!.data.messageId;
    const attempts = (await chatEvents()).filter(
      (e) => e.type === 'MessageSendAttempted' && e.data.messageId === lostId,
    );
    expect(attempts).toHaveLength(1);
  });

  it('spreads a burst of 100 messages at the configured rate and keeps their order', async () => {
    const recipient = '5511933332222';
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api.call('POST', '/whatsapp/messages/send', {
          token: admin,
          body: { sessionId, to: recipient, message: `#${String(i).padStart(3, '0')}` },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    // 5 at once, then 40 per second: the last of 100 cannot go before (100 - 5) / 40 s.
    expect(elapsed).toBeGreaterThanOrEqual(((100 - 5) / 40) * 1000 - 100);
    const events = (await chatEvents()).filter(
      (e) => e.type === 'MessageSendRequested' || e.type === 'MessageSent',
    );
    const bodyById = new Map(
      events
        .filter((e) => e.type === 'MessageSendRequested')
        .map((e) => [e.data.messageId, String(e.data.body)]),
    );
    const requestedOrder = events
      .filter((e) => e.type === 'MessageSendRequested' && String(e.data.body).startsWith('#'))
      .map((e) => String(e.data.body));
    const sentOrder = events
      .filter((e) => e.type === 'MessageSent' && bodyById.get(e.data.messageId)?.startsWith('#'))
      .map((e) => bodyById.get(e.data.messageId));
    expect(sentOrder).toEqual(requestedOrder);
  });
});
