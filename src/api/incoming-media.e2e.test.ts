import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { eventually } from '../../test-support/eventually.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

/**
 * API.md "Media and contacts": an incoming file is downloaded on arrival by the process that runs the session,
 * kept by content, and served with its type, ETag and byte ranges through any process; another company gets 404.
 */
describe('incoming media, downloaded and kept, across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let call: ReturnType<typeof pair.caller>;
  let sessionId: string;
  const contact = '5511988887777';
  // A PNG signature followed by filler: 1.2 MB, more than two chunks of the store.
  const png = Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    Buffer.alloc(1_200_000, 7).map((_, index) => index % 251),
  ]);
  const sha256 = createHash('sha256').update(png).digest('hex');

  beforeAll(async () => {
    pair = await startGatewayPair('media', {
      MEDIA_MAX_BYTES: '2000000',
      BODY_LIMIT_BYTES: '4000000',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    });
    call = pair.caller('acme');
    sessionId = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Mídia' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  const incoming = async (media: Record<string, unknown>) => {
    // To the process that runs the session: a control carried over NATS is limited to its max_payload (1 MiB).
    const reply = await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
      from: contact,
      body: '',
      media,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    return reply.body.id as string;
  };
  const messageOf = (id: string) =>
    eventually(async () => {
      const { messages } = (
        await call(pair.b.url, 'GET', `/whatsapp/sessions/${sessionId}/chats/${contact}@c.us/messages`)
      ).body as { messages: { id: string; media?: Record<string, unknown> }[] };
      const found = messages.find((message) => message.id === id);
      return found?.media && (found.media.url || found.media.downloadError) ? found : undefined;
    });
  const fetchMedia = (path: string, headers: Record<string, string> = {}, company = 'acme') =>
    fetch(`${pair.b.url}${path}`, {
      headers: { authorization: `Bearer ${pair.token(company, 'AGENT')}`, ...headers },
    });

  it('downloads an incoming image, records its sha256 and url, and serves it whole and by range', async () => {
    const id = await incoming({ mimetype: 'image/png', fileName: 'foto.png', data: png.toString('base64') });
    const message = await messageOf(id);
    const url = `/whatsapp/sessions/${sessionId}/messages/${encodeURIComponent(id)}/media`;
    expect(message.media).toMatchObject({ mimetype: 'image/png', size: png.length, sha256, url });

    const whole = await fetchMedia(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/png');
    expect(whole.headers.get('content-length')).toBe(String(png.length));
    expect(whole.headers.get('etag')).toBe(`"${sha256}"`);
    expect(whole.headers.get('content-disposition')).toContain('filename="foto.png"');
    expect(Buffer.from(await whole.arrayBuffer()).equals(png)).toBe(true);

    const part = await fetchMedia(url, { range: 'bytes=524000-1048700' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 524000-1048700/${png.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(png.subarray(524000, 1048701))).toBe(true);

    const tail = await fetchMedia(url, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(png.subarray(png.length - 10))).toBe(true);

    const beyond = await fetchMedia(url, { range: `bytes=${png.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${png.length}`);

    expect((await fetchMedia(url, {}, 'globex')).status).toBe(404);
  });

  it('keeps a file under the type its bytes show, with a warning in the session log', async () => {
    const id = await incoming({
      mimetype: 'application/pdf',
      fileName: 'nota.pdf',
      data: png.toString('base64'),
    });
    const message = await messageOf(id);
    expect(message.media).toMatchObject({ mimetype: 'image/png', sha256 });
    const database = new pg.Client({ connectionString: pair.services.databaseUrl });
    await database.connect();
    try {
      const { rows } = await database.query<{ Level: string; Message: string }>(
        `select "Level", "Message" from "Session_Logs" where "Session_Id" = $1 and "Event_Type" = 'MediaDownloaded'`,
        [sessionId],
      );
      expect(rows).toEqual([
        {
          Level: 'warn',
          Message: `The file of message ${id} was declared application/pdf but is image/png; kept as image/png`,
        },
      ]);
    } finally {
      await database.end();
    }
  });

  it('records why a file was not kept: too large, or gone from WhatsApp', async () => {
    const large = await incoming({ mimetype: 'video/mp4', size: 5_000_000 });
    expect((await messageOf(large)).media).toMatchObject({
      url: null,
      downloadError: 'larger than MEDIA_MAX_BYTES (2000000 bytes)',
    });
    const gone = await incoming({ mimetype: 'audio/ogg', size: 100 });
    const goneMessage = await messageOf(gone);
    expect(goneMessage.media).toMatchObject({
      url: null,
      downloadError: 'the file is no longer on WhatsApp',
    });
    const path = `/whatsapp/sessions/${sessionId}/messages/${encodeURIComponent(gone)}/media`;
    expect((await fetchMedia(path)).status).toBe(404);
  });
});

describe('incoming media on the embedded database (PGlite, in-process bus)', () => {
  let api: TestGateway;

  beforeAll(async () => {
    api = await startTestGateway('pglite+memory');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('keeps and serves an incoming file', async () => {
    const token = api.token('acme', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'Embutido' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token });
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token });
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(700_000, 3)]);
    const messageId = (
      await api.call('POST', `/simulator/sessions/${id}/incoming`, {
        token,
        body: {
          from: '5511977776666',
          body: '',
          media: { mimetype: 'image/jpeg', data: jpeg.toString('base64') },
        },
      })
    ).body.id as string;
    const url = await eventually(async () => {
      const { messages } = (
        await api.call('GET', `/whatsapp/sessions/${id}/chats/5511977776666@c.us/messages`, { token })
      ).body as unknown as { messages: { id: string; media?: { url: string | null } }[] };
      return messages.find((message) => message.id === messageId)?.media?.url ?? undefined;
    });
    const served = await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true);
  });
});
