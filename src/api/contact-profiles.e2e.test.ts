import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';

/**
 * API.md "Media and contacts": the process that runs a session fetches the profile picture (and, where messages
 * carry no name, the contact-list name) of a contact that writes, keeps the picture by content, and the Clients
 * row points at `/whatsapp/sessions/:id/contacts/:jid/picture`, which any process serves to the same company.
 */
describe('profile pictures and contact names, across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let call: ReturnType<typeof pair.caller>;
  let database: pg.Client;
  let sessionId: string;
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('foto de perfil da Maria')]);
  const sha256 = createHash('sha256').update(png).digest('hex');

  beforeAll(async () => {
    pair = await startGatewayPair('contact-profiles', { RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn' });
    call = pair.caller('acme');
    database = new pg.Client({ connectionString: pair.services.env.DATABASE_URL });
    await database.connect();
    sessionId = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Perfis' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
  });
  afterAll(async () => {
    await database?.end();
    await pair?.dispose();
  });

  const incoming = async (body: Record<string, unknown>) => {
    const reply = await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  };
  const clientOf = (number: string) =>
    database
      .query<{ Client_Name: string | null; Profile_Picture_Url: string | null }>(
        `select "Client_Name", "Profile_Picture_Url" from "Clients" where "Company_Id" = 'acme' and "Wa_Number" = $1`,
        [number],
      )
      .then(({ rows }) => rows[0]);
  const picture = (path: string, company = 'acme', headers: Record<string, string> = {}) =>
    fetch(`${pair.b.url}${path}`, {
      headers: { authorization: `Bearer ${pair.token(company, 'AGENT')}`, ...headers },
    });

  it('fetches the picture of a new contact, and the second process serves it with its type and ETag', async () => {
    await incoming({ from: '5511988880001', body: 'Oi', name: 'Maria', picture: png.toString('base64') });
    const path = `/whatsapp/sessions/${sessionId}/contacts/5511988880001@c.us/picture`;
    await eventually(async () => expect((await clientOf('5511988880001'))?.Profile_Picture_Url).toBe(path));

    const served = await picture(path);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    expect((await picture(path, 'acme', { 'if-none-match': `"${sha256}"` })).status).toBe(304);
  });

  it('answers 404 to another company, and for a contact without a picture', async () => {
    await incoming({ from: '5511988880002', body: 'Sem foto', name: 'João' });
    await eventually(async () => expect(await clientOf('5511988880002')).toBeDefined());
    const other = await picture(
      `/whatsapp/sessions/${sessionId}/contacts/5511988880001@c.us/picture`,
      'globex',
    );
    expect(other.status).toBe(404);
    const none = await picture(`/whatsapp/sessions/${sessionId}/contacts/5511988880002@c.us/picture`);
    expect(none.status).toBe(404);
    expect((await clientOf('5511988880002'))?.Profile_Picture_Url).toBeNull();
  });

  it('answers 400 to an address that is not a contact’s, and 404 to a group’s', async () => {
    for (const jid of ['not-a-number', '12@c.us', '5511988880001@s.whatsapp.net']) {
      const malformed = await picture(`/whatsapp/sessions/${sessionId}/contacts/${jid}/picture`);
      expect(malformed.status, jid).toBe(400);
      expect(((await malformed.json()) as { message: string }).message).toMatch(/not a WhatsApp address/);
    }
    const group = await picture(`/whatsapp/sessions/${sessionId}/contacts/120363000000000000@g.us/picture`);
    expect(group.status).toBe(404);
  });

  it('names a contact from the phone’s contact list when its messages carry no name', async () => {
    await incoming({ from: '5511988880003', body: 'Olá', contactName: 'Ana da Padaria' });
    await eventually(async () =>
      expect((await clientOf('5511988880003'))?.Client_Name).toBe('Ana da Padaria'),
    );
  });

  it('keeps the name a message carries over the contact list’s', async () => {
    await incoming({ from: '5511988880004', body: 'Olá', name: 'Bia', contactName: 'Beatriz (fornecedora)' });
    await eventually(async () => expect((await clientOf('5511988880004'))?.Client_Name).toBe('Bia'));
    // A contact after it, in the same queue: once it is named, the lookups before it have ended.
    await incoming({ from: '5511988880005', body: 'Olá', contactName: 'Caio' });
    await eventually(async () => expect((await clientOf('5511988880005'))?.Client_Name).toBe('Caio'));
    expect((await clientOf('5511988880004'))?.Client_Name).toBe('Bia');
  });

  it('keeps a contact WhatsApp shows only by its linked-device id under that id, then under its number', async () => {
    const lid = '201234567890123@lid';
    const lidPng = Buffer.concat([png, Buffer.from(' (por lid)')]);
    const lidPicture = `/whatsapp/sessions/${sessionId}/contacts/${lid}/picture`;
    await incoming({
      from: lid,
      body: 'Oi, sou a Rita',
      contactName: 'Rita',
      picture: lidPng.toString('base64'),
    });
    await eventually(async () =>
      expect(await clientOf(lid)).toEqual({ Client_Name: 'Rita', Profile_Picture_Url: lidPicture }),
    );
    const served = await picture(lidPicture);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(lidPng)).toBe(true);

    // WhatsApp tells the number behind the id: the row is the number's, and the picture is served by the number.
    await incoming({ from: lid, phone: '5511988880006', body: 'Meu número' });
    const numberPicture = `/whatsapp/sessions/${sessionId}/contacts/5511988880006@c.us/picture`;
    await eventually(async () =>
      expect(await clientOf('5511988880006')).toEqual({
        Client_Name: 'Rita',
        Profile_Picture_Url: numberPicture,
      }),
    );
    expect(await clientOf(lid)).toBeUndefined();
    const byNumber = await picture(numberPicture);
    expect(byNumber.status).toBe(200);
    expect(Buffer.from(await byNumber.arrayBuffer()).equals(lidPng)).toBe(true);
    expect((await picture(lidPicture)).status).toBe(404);
  });

  it('describes the picture route in the OpenAPI document', async () => {
    const docs = (await call(pair.b.url, 'GET', '/docs/json')).body as { paths: Record<string, unknown> };
    expect(docs.paths).toHaveProperty(['/whatsapp/sessions/{id}/contacts/{jid}/picture']);
  });
});
