import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../../test-support/gateway-harness.js';
import { eventually } from '../../test-support/eventually.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

describe('requests the send endpoints refuse, and texts they keep safely', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  const to = '5511988887777';

  beforeAll(async () => {
    ({ api, admin, sessionId } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
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
});
