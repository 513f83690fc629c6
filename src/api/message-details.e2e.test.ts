import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('what a message carries beside its text', () => {
  let api: TestGateway;
  let token: string;
  let sessionId: string;
  const chat = '5511988887777@c.us';

  beforeAll(async () => {
    api = await startTestGateway('pglite+memory');
    token = api.token('acme', 'ADMIN');
    sessionId = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'Detalhes' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token });
    await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token });
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const incoming = async (body: Record<string, unknown>) =>
    (await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, { token, body })).body.id as string;
  const messages = async () =>
    (await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${chat}/messages`, { token })).body
      .messages as Record<string, unknown>[];

  it('keeps replies, mentions, locations, edits and reactions, and shows them in the message shape', async () => {
    const first = await incoming({ from: '5511988887777', body: 'Onde fica?' });
    const reply = await incoming({
      from: '5511988887777',
      body: 'Aqui, @5511977776666',
      quotedId: first,
      mentions: ['5511977776666@c.us'],
    });
    const place = await incoming({
      from: '5511988887777',
      body: '',
      type: 'location',
      location: { lat: -23.5505, lng: -46.6333, description: 'Praça da Sé' },
    });
    expect(
      (
        await api.call('POST', `/simulator/sessions/${sessionId}/edit`, {
          token,
          body: { from: '5511988887777', messageId: first, body: 'Onde fica a loja?' },
        })
      ).status,
    ).toBe(204);
    await api.call('POST', `/simulator/sessions/${sessionId}/react`, {
      token,
      body: { from: '5511988887777', messageId: reply, emoji: '👍' },
    });

    const byId = new Map((await messages()).map((message) => [message.id, message]));
    expect(byId.get(first)).toMatchObject({
      body: 'Onde fica a loja?',
      editedAt: expect.any(Number) as unknown,
    });
    expect(byId.get(reply)).toMatchObject({
      quotedId: first,
      mentions: ['5511977776666@c.us'],
      reactions: [{ emoji: '👍', from: '5511988887777@c.us', timestamp: expect.any(Number) as unknown }],
    });
    expect(byId.get(place)).toMatchObject({
      location: { latitude: -23.5505, longitude: -46.6333, name: 'Praça da Sé', address: null },
    });

    // An empty emoji takes the reaction back.
    await api.call('POST', `/simulator/sessions/${sessionId}/react`, {
      token,
      body: { from: '5511988887777', messageId: reply, emoji: '' },
    });
    const after = (await messages()).find((message) => message.id === reply)!;
    expect(after.reactions).toBeUndefined();
  });
});
