import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, type TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

type Message = Record<string, unknown> & { id: string };

describe('replies, mentions, polls, locations, reactions, edits and deletions sent (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let agent: string;
  let sessionId: string;
  const to = '5511988887777';
  const chat = `${to}@c.us`;

  beforeAll(async () => {
    ({ api, admin, sessionId } = await startSendingGateway());
    agent = api.token('acme', 'AGENT');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const post = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api.call('POST', `/whatsapp/messages/${path}`, { token: agent, body: { sessionId, ...body }, headers });
  const messages = async () =>
    (
      await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${chat}/messages?limit=200`, {
        token: admin,
      })
    ).body.messages as Message[];
  const message = async (id: string) => (await messages()).find((m) => m.id === id);
  const sentLog = async () =>
    (await api.call('GET', `/simulator/sessions/${sessionId}/sent`, { token: admin })).body.messages as {
      id: string;
      type: string;
      body: string;
    }[];
  const sendText = async (text: string) => {
    const reply = await post('send', { to, message: text });
    expect(reply.status).toBe(200);
    return (reply.body.result as { id: string }).id;
  };
  const incoming = async (body: string) =>
    (
      await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
        token: admin,
        body: { from: to, body },
      })
    ).body.id as string;

  it('sends a reply with mentions, and the message shows what it replies to and whom it mentions', async () => {
    const question = await incoming('Qual o prazo?');
    const reply = await post('send', {
      to,
      message: 'Cinco dias, @5511977776666',
      quotedMessageId: question,
      mentions: ['5511977776666'],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      message: 'Mensagem enviada com sucesso',
      result: { id: expect.stringMatching(/^true_5511988887777@c\.us_/), to: chat },
    });
    const id = (reply.body.result as { id: string }).id;
    expect(await eventually(() => message(id))).toMatchObject({
      quotedId: question,
      mentions: ['5511977776666@c.us'],
      fromMe: true,
    });
  });

  it('refuses a reply to a message the chat does not have (400)', async () => {
    const reply = await post('send', {
      to,
      message: 'Oi',
      quotedMessageId: 'false_5511900000000@c.us_3EB0FF',
    });
    expect(reply.status).toBe(400);
  });

  it('sends a poll, which the chat shows with its options, and counts the votes that come back', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const reply = await post('send-poll', {
      to,
      name: 'Melhor dia?',
      options: ['Segunda', 'Sexta'],
      selectableCount: 1,
    });
    expect(reply.status).toBe(200);
    const id = (reply.body.result as { id: string }).id;
    await api.call('POST', `/simulator/sessions/${sessionId}/vote`, {
      token: admin,
      body: { from: to, messageId: id, options: ['Sexta'] },
    });
    const vote = await ws.next((f) => f.type === 'poll_vote' && f.data.id === id);
    expect(vote.data).toEqual({ id, chatId: chat, from: chat, options: ['Sexta'] });
    expect(await message(id)).toMatchObject({
      type: 'poll_creation',
      poll: {
        name: 'Melhor dia?',
        options: [
          { name: 'Segunda', votes: 0 },
          { name: 'Sexta', votes: 1 },
        ],
        selectableCount: 1,
      },
    });
    expect((await sentLog()).find((s) => s.id === id)).toMatchObject({
      type: 'poll_creation',
      body: 'Melhor dia?',
    });
    await ws.close();
  });

  it.each([
    [{ options: ['Sim'] }, 'one option'],
    [{ options: ['Sim', 'Sim'] }, 'the same option twice'],
    [{ options: Array.from({ length: 13 }, (_, i) => `Opção ${i}`) }, 'thirteen options'],
    [{ options: ['Sim', 'Não'], selectableCount: 3 }, 'selectableCount above the options'],
    [{ options: ['Sim', 'Não'], selectableCount: 0 }, 'selectableCount 0'],
  ] as [Record<string, unknown>, string][])(
    'refuses a poll with %j (%s) with 400, and sends nothing',
    async (poll) => {
      const before = (await sentLog()).length;
      expect((await post('send-poll', { to, name: 'Enquete', ...poll })).status).toBe(400);
      expect((await sentLog()).length).toBe(before);
    },
  );

  it('sends a location', async () => {
    const reply = await post('send-location', {
      to,
      latitude: -23.5505,
      longitude: -46.6333,
      name: 'Loja Sé',
    });
    expect(reply.status).toBe(200);
    const id = (reply.body.result as { id: string }).id;
    expect(await eventually(() => message(id))).toMatchObject({
      type: 'location',
      location: { latitude: -23.5505, longitude: -46.6333, name: 'Loja Sé', address: null },
    });
  });

  it('reacts to a message, answering with its id, and takes the reaction back with an empty emoji', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const theirs = await incoming('Chegou!');
    const reply = await post('react', { messageId: theirs, emoji: '❤️' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ message: 'Mensagem enviada com sucesso', result: { id: theirs, to: chat } });
    const frame = await ws.next((f) => f.type === 'reaction' && f.data.id === theirs);
    expect(frame.data).toMatchObject({ id: theirs, chatId: chat, emoji: '❤️' });
    const own = frame.data.from as string;
    expect((await message(theirs))?.reactions).toEqual([
      { emoji: '❤️', from: own, timestamp: expect.any(Number) as unknown },
    ]);
    expect((await sentLog()).at(-1)).toMatchObject({ id: theirs, type: 'reaction', body: '❤️' });

    expect((await post('react', { messageId: theirs, emoji: '' })).status).toBe(200);
    expect((await message(theirs))?.reactions).toBeUndefined();
    await ws.close();
  });

  it('answers 404 to a reaction to a message the session does not have', async () => {
    expect(
      (await post('react', { messageId: 'false_5511988887777@c.us_3EB0NOPE', emoji: '👍' })).status,
    ).toBe(404);
  });

  it('edits a message the session sent: the body changes and a message_edit frame follows', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const id = await sendText('Entrega amanhã');
    const reply = await post('edit', { messageId: id, message: 'Entrega hoje' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ message: 'Mensagem enviada com sucesso', result: { id, to: chat } });
    const frame = await ws.next((f) => f.type === 'message_edit' && f.data.id === id);
    expect(frame.data).toEqual({ id, chatId: chat, body: 'Entrega hoje' });
    expect(await message(id)).toMatchObject({
      body: 'Entrega hoje',
      editedAt: expect.any(Number) as unknown,
    });
    expect((await sentLog()).at(-1)).toMatchObject({ id, type: 'edit', body: 'Entrega hoje' });
    await ws.close();
  });

  it('deletes a message the session sent for everyone: it stays, revoked, and a message_revoke frame follows', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const id = await sendText('Preço errado');
    expect((await post('delete', { messageId: id })).status).toBe(200);
    const frame = await ws.next((f) => f.type === 'message_revoke' && f.data.id === id);
    expect(frame.data).toEqual({ id, chatId: chat });
    expect(await message(id)).toMatchObject({ body: 'Preço errado', revoked: true });
    // A deleted message can be neither edited nor deleted again.
    expect((await post('edit', { messageId: id, message: 'x' })).status).toBe(409);
    expect((await post('delete', { messageId: id })).status).toBe(409);
    await ws.close();
  });

  it('refuses to edit or delete a message the session did not send (409), and an unknown one (404)', async () => {
    const theirs = await incoming('Mensagem do cliente');
    expect((await post('edit', { messageId: theirs, message: 'outra' })).status).toBe(409);
    expect((await post('delete', { messageId: theirs })).status).toBe(409);
    expect((await post('delete', { messageId: 'true_5511988887777@c.us_3EB0NOPE' })).status).toBe(404);
  });

  it('reacts once for the same Idempotency-Key sent twice, answering both alike', async () => {
    const theirs = await incoming('Pedido feito');
    const before = (await sentLog()).length;
    const headers = { 'idempotency-key': `react-${theirs}` };
    const first = await post('react', { messageId: theirs, emoji: '👍' }, headers);
    const second = await post('react', { messageId: theirs, emoji: '👍' }, headers);
    expect(second).toEqual(first);
    expect((await sentLog()).length).toBe(before + 1);
  });

  it('answers 502 when WhatsApp refuses an edit for good, and the message keeps its text', async () => {
    const id = await sendText('Texto original');
    api.gateway.simulator!.failSends(sessionId, { count: 1, permanent: true, reason: 'edit window closed' });
    const reply = await post('edit', { messageId: id, message: 'Tarde demais' });
    expect(reply.status).toBe(502);
    expect(await message(id)).toMatchObject({ body: 'Texto original' });
    expect((await message(id))?.editedAt).toBeUndefined();
  });

  it('documents every new route, with its body, in the OpenAPI document', async () => {
    const docs = (await api.call('GET', '/docs/json')).body as unknown as {
      paths: Record<string, { post?: { requestBody?: unknown } }>;
    };
    for (const path of ['send-poll', 'send-location', 'react', 'edit', 'delete'])
      expect(docs.paths[`/whatsapp/messages/${path}`]?.post?.requestBody, path).toBeDefined();
    expect(JSON.stringify(docs.paths['/whatsapp/messages/send'])).toContain('quotedMessageId');
  });
});
