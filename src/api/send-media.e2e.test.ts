import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

describe('sending media (PostgreSQL, NATS, simulator)', () => {
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
