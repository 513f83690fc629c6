import { createServer } from 'node:http';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('sending messages (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  const to = '5511988887777';
  const chatEvents = async () =>
    (await api.call('GET', `/audit/sessions/${sessionId}/events?limit=1000`, { token: admin })).body
      .events as { type: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    api = await startTestGateway(
      'postgres+nats',
      {
        SEND_RATE_PER_SESSION: '40',
        SEND_BURST_PER_SESSION: '5',
        SEND_TIMEOUT_MS: '60000',
        MEDIA_MAX_BYTES: '100000',
        MEDIA_URL_ALLOW_PRIVATE: 'true',
      },
      { outbox: { retryInitialMs: 20, retryMaxMs: 50, echoWaitMs: 1000 } },
    );
    admin = api.token('acme', 'ADMIN');
    sessionId = (await api.call('POST', '/sessions', { token: admin, body: { Session_Name: 'Vendas' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
    await eventually(
      async () =>
        (await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin })).body
          .isConnected === true,
    );
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

  it('refuses a session that is not connected with 409, and bad recipients and texts with 400', async () => {
    const idle = (await api.call('POST', '/sessions', { token: admin, body: { Session_Name: 'Parada' } }))
      .body.Id as string;
    expect(
      (
        await api.call('POST', '/whatsapp/messages/send', {
          token: admin,
          body: { sessionId: idle, to, message: 'x' },
        })
      ).status,
    ).toBe(409);
    for (const body of [
      { sessionId, to: 'abc', message: 'x' },
      { sessionId, to, message: '' },
      { sessionId, to, message: 'x'.repeat(65_537) },
      { sessionId: 'nope', to, message: 'x' },
      { sessionId, to, message: 'x', extra: 1 },
    ]) {
      expect((await api.call('POST', '/whatsapp/messages/send', { token: admin, body })).status).toBe(400);
    }
    expect(
      (
        await api.call('POST', '/whatsapp/messages/send', {
          token: api.token('globex', 'ADMIN'),
          body: { sessionId, to, message: 'x' },
        })
      ).status,
    ).toBe(404);
  });

  it('refuses U+0000 in any text of a request with 400 naming the field', async () => {
    const messages = `/whatsapp/sessions/${sessionId}/chats/${to}/messages`;
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/whatsapp/messages/send', { sessionId, to, message: 'a\u0000b' }, /body message: .*U\+0000/],
      ['POST', '/sessions', { Session_Name: 'Nul\u0000' }, /body Session_Name: .*U\+0000/],
      [
        'POST',
        '/whatsapp/messages/send-media',
        { sessionId, to, caption: '\u0000', data: 'JVBERg==', mimetype: 'application/pdf' },
        /body caption: .*U\+0000/,
      ],
      ['GET', `${messages}?before=%00`, undefined, /querystring before: .*U\+0000/],
    ];
    for (const [method, path, body, message] of cases) {
      const reply = await api.call(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
      expect([method, path, reply.status]).toEqual([method, path, 400]);
      expect(String(reply.body.message)).toMatch(message);
    }
    const form = new FormData();
    form.append('sessionId', sessionId);
    form.append('to', to);
    form.append('caption', 'legenda\u0000');
    form.append('file', new Blob([Buffer.from('%PDF')], { type: 'application/pdf' }), 'a.pdf');
    const uploaded = await fetch(`${api.url}/whatsapp/messages/send-media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    expect(uploaded.status).toBe(400);
    expect(((await uploaded.json()) as { message: string }).message).toMatch(/body caption: .*U\+0000/);
  });

  it('keeps an incoming message holding U+0000, with U+FFFD in its place', async () => {
    const from = '5511955554444';
    const reply = await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
      token: admin,
      body: { from, body: 'Oi\u0000tudo bem?' },
    });
    expect(reply.status).toBe(202);
    const bodies = await eventually(async () => {
      const { body } = await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${from}/messages`, {
        token: admin,
      });
      const texts = (body.messages as { body: string }[]).map((m) => m.body);
      return texts.length > 0 && texts;
    });
    expect(bodies).toEqual(['Oi\uFFFDtudo bem?']);
  });

  it('sends media uploaded as multipart, given as base64, or downloaded from a URL, through the same outbox', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const form = new FormData();
    form.append('sessionId', sessionId);
    form.append('to', to);
    form.append('caption', 'Comprovante');
    form.append('file', new Blob([png], { type: 'image/png' }), 'comprovante.png');
    const uploaded = await fetch(`${api.url}/whatsapp/messages/send-media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const id = ((await uploaded.json()) as { result: { id: string } }).result.id;

    const base64 = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      body: {
        sessionId,
        to,
        data: Buffer.from('%PDF-1.4 boleto').toString('base64'),
        mimetype: 'application/pdf',
        fileName: 'boleto.pdf',
      },
    });
    expect(base64.status).toBe(200);

    const server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'audio/ogg' }).end(Buffer.alloc(2048, 1)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const downloaded = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      body: { sessionId, to, url: `http://127.0.0.1:${port}/audio.ogg` },
    });
    server.close();
    expect(downloaded.status).toBe(200);

    const stored = await eventually(async () => {
      const { body } = await api.call(
        'GET',
        `/whatsapp/sessions/${sessionId}/chats/${to}/messages?limit=200`,
        { token: admin },
      );
      const sent = (
        body.messages as { id: string; media?: { mimetype: string; fileName: string | null; size: number } }[]
      ).find((m) => m.id === id);
      return sent?.media && sent;
    });
    expect(stored.media).toMatchObject({
      mimetype: 'image/png',
      fileName: 'comprovante.png',
      size: png.length,
    });
  });

  it('refuses media that is too large, missing, or given twice', async () => {
    const big = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      body: {
        sessionId,
        to,
        data: Buffer.alloc(100_001).toString('base64'),
        mimetype: 'application/octet-stream',
      },
    });
    expect(big.status).toBe(413);
    expect(
      (await api.call('POST', '/whatsapp/messages/send-media', { token: admin, body: { sessionId, to } }))
        .status,
    ).toBe(400);
    const twice = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      body: { sessionId, to, data: 'aGVsbG8=', mimetype: 'text/plain', url: 'http://127.0.0.1:1/x' },
    });
    expect(twice.status).toBe(400);
    expect(
      (
        await api.call('POST', '/whatsapp/messages/send-media', {
          token: admin,
          body: { sessionId, to, data: 'aGVsbG8=', mimetype: 'nonsense' },
        })
      ).status,
    ).toBe(400);
  });
});
