import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

/**
 * MEDIA_RETENTION_DAYS, here 4 seconds (the setting takes fractions of a day): a kept incoming file is deleted
 * once it is older, the message stays with `url` null and the reason; a contact's current picture stays.
 */
describe('media retention (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let token: string;
  let sessionId: string;
  const contact = '5511977770001';
  const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(2000, 9)]);
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('rosto')]);

  beforeAll(async () => {
    api = await startTestGateway('postgres+nats', {
      MEDIA_RETENTION_DAYS: String(4 / 86_400),
      MEDIA_RETENTION_INTERVAL_MS: '500',
    });
    token = api.token('acme', 'ADMIN');
    sessionId = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'Retenção' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token });
    await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token });
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const mediaOf = async (messageId: string) => {
    const { messages } = (
      await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${contact}@c.us/messages`, { token })
    ).body as unknown as {
      messages: { id: string; media?: { url: string | null; downloadError?: string } }[];
    };
    return messages.find((message) => message.id === messageId)?.media;
  };
  const get = (path: string) => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('deletes a file past the retention; the message stays, without url, saying why', async () => {
    const messageId = (
      await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
        token,
        body: {
          from: contact,
          body: '',
          media: { mimetype: 'image/jpeg', data: jpeg.toString('base64') },
          picture: png.toString('base64'),
        },
      })
    ).body.id as string;
    const url = await eventually(async () => (await mediaOf(messageId))?.url ?? undefined);
    const picture = `/whatsapp/sessions/${sessionId}/contacts/${contact}@c.us/picture`;
    await eventually(async () => expect((await get(picture)).status).toBe(200));

    const gone = await eventually(async () => {
      const media = await mediaOf(messageId);
      return media?.url === null ? media : undefined;
    }, 30_000);
    expect(gone.downloadError).toMatch(/MEDIA_RETENTION_DAYS/);
    expect((await get(url)).status).toBe(404);
    // The contact still shows that picture: it is kept, however old.
    expect((await get(picture)).status).toBe(200);
  });
});
