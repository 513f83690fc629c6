import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';

type Message = Record<string, unknown> & { id: string; body: string | null };

/**
 * API.md "Privacy and audit": export and erasure of a contact over HTTP, on two gateway processes sharing
 * PostgreSQL and NATS. The session runs on process A; the erasure is asked of A and read back on B.
 */
describe('erasing and exporting a contact across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let admin: ReturnType<typeof pair.caller>;
  let sessionId: string;
  let database: pg.Client;
  const joao = '5511988887777';
  const maria = '5511977776666';
  const shared = Buffer.from('a picture both contacts sent');
  const joaosOwn = Buffer.from('a picture only João sent');
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  const play = (body: Record<string, unknown>) =>
    admin(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, body);
  const messagesOf = async (phone: string, url: string) =>
    (await admin(url, 'GET', `/whatsapp/sessions/${sessionId}/chats/${phone}@c.us/messages`)).body
      .messages as Message[];
  const blobsKept = async () =>
    (await database.query<{ sha256: string }>('select sha256 from media_blobs order by 1')).rows.map(
      (row) => row.sha256,
    );

  beforeAll(async () => {
    pair = await startGatewayPair('privacy');
    admin = pair.caller('acme');
    database = new pg.Client({ connectionString: pair.services.databaseUrl });
    await database.connect();
    sessionId = (await admin(pair.a.url, 'POST', '/sessions', { Session_Name: 'Privacidade' })).body
      .Id as string;
    await admin(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await admin(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    const image = (data: Buffer, caption: string) => ({
      mimetype: 'image/png',
      caption,
      fileName: `${caption}.png`,
      data: data.toString('base64'),
    });
    await play({ from: joao, body: 'segredo do João', name: 'João Segredo' });
    await play({ from: joao, body: '', media: image(shared, 'foto compartilhada') });
    await play({ from: joao, body: '', media: image(joaosOwn, 'foto do João') });
    await play({ from: maria, body: 'oi da Maria', media: image(shared, 'foto da Maria') });
    await eventually(async () => {
      expect(await blobsKept()).toEqual([sha(shared), sha(joaosOwn)].sort());
      expect((await messagesOf(joao, pair.b.url)).filter((m) => m.media)).toHaveLength(2);
      return true;
    });
  });
  afterAll(async () => {
    await database?.end();
    await pair?.dispose();
  });

  it('lets only an ADMIN export or erase, and refuses a malformed number with 400', async () => {
    for (const role of ['AGENT', 'MANAGER'] as const) {
      const caller = pair.caller('acme', role);
      expect((await caller(pair.b.url, 'DELETE', `/privacy/contacts/${joao}`)).status, role).toBe(403);
      expect((await caller(pair.b.url, 'GET', `/privacy/contacts/${joao}/export`)).status, role).toBe(403);
    }
    for (const phone of ['abc', '12', '120363000000000000@g.us'])
      expect(
        (await admin(pair.b.url, 'DELETE', `/privacy/contacts/${encodeURIComponent(phone)}`)).status,
      ).toBe(400);
  });

  it("exports the contact's messages, chats and client rows", async () => {
    const { status, body } = await admin(pair.b.url, 'GET', `/privacy/contacts/%2B${joao}/export`);
    expect(status).toBe(200);
    expect(body.phone).toBe(joao);
    expect(JSON.stringify(body.messages)).toContain('segredo do João');
    expect(body.chats).toHaveLength(1);
    expect(JSON.stringify(body.chats)).toContain('João Segredo');
    expect(body.clients).toHaveLength(1);
  });

  it('touches nothing when another company erases the same number', async () => {
    const other = pair.caller('globex');
    expect(await other(pair.a.url, 'DELETE', `/privacy/contacts/${joao}`)).toMatchObject({
      status: 202,
      body: { chats: 0 },
    });
    expect((await messagesOf(joao, pair.b.url)).map((m) => m.body)).toContain('segredo do João');
    expect(await blobsKept()).toHaveLength(2);
  });

  it('erases on one process; the other shows body null and erased at once, and only shared files stay', async () => {
    const reply = await admin(pair.a.url, 'DELETE', `/privacy/contacts/${joao}`);
    expect(reply).toMatchObject({
      status: 202,
      body: { chats: 1, contactHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const erased = await messagesOf(joao, pair.b.url);
    expect(erased).toHaveLength(3);
    for (const message of erased) {
      expect(message).toMatchObject({ body: null, erased: true });
      if (message.media) expect(message.media).toMatchObject({ caption: null, fileName: null, url: null });
    }
    const kept = await messagesOf(maria, pair.b.url);
    expect(kept[0]).toMatchObject({ body: 'oi da Maria', media: { caption: 'foto da Maria' } });
    expect(kept[0]!.erased).toBeUndefined();
    expect(await blobsKept()).toEqual([sha(shared)]);

    const chats = (await admin(pair.b.url, 'GET', `/whatsapp/sessions/${sessionId}/chats`)).body;
    expect(JSON.stringify(chats)).not.toContain('João Segredo');
    const events = await database.query<{ data: string }>('select data::text as data from events');
    expect(events.rows.map((row) => row.data).join('\n')).not.toContain('segredo do João');
    const audit = (await admin(pair.b.url, 'GET', `/audit/sessions/${sessionId}/events?limit=1000`)).body
      .events as { type: string; data: Record<string, unknown> }[];
    const received = audit.filter((e) => e.type === 'MessageReceived' && e.data.chatJid === `${joao}@c.us`);
    expect(received).toHaveLength(3);
    expect(received.every((e) => e.data.erased === true && e.data.body === '')).toBe(true);
    expect(JSON.stringify(audit)).toContain('oi da Maria');
  });

  it('documents both routes in OpenAPI, the message shape with its erased flag', async () => {
    const docs = (await (await fetch(`${pair.b.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(docs.paths['/privacy/contacts/{phone}'] ?? {})).toContain('delete');
    expect(Object.keys(docs.paths['/privacy/contacts/{phone}/export'] ?? {})).toContain('get');
    expect(JSON.stringify(docs.paths['/whatsapp/sessions/{id}/chats/{chatId}/messages'])).toContain(
      '"erased"',
    );
  });
});
