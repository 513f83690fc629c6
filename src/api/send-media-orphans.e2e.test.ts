import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

/**
 * Outgoing media files are not left behind: a send-media refused because the session is not connected keeps
 * no file, and a replay of a send-media (same Idempotency-Key) does not store its file again.
 */
describe('send-media keeps no file nobody refers to (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let database: pg.Client;
  const pdf = { data: Buffer.from('%PDF-1.4 nota fiscal').toString('base64'), mimetype: 'application/pdf' };

  const newSession = async (name: string) =>
    (await api.call('POST', '/sessions', { token: admin, body: { Session_Name: name } })).body.Id as string;
  const filesOf = async (sessionId: string) =>
    Number(
      (
        await database.query<{ count: string }>('select count(*) from media_files where session_id = $1', [
          sessionId,
        ])
      ).rows[0]!.count,
    );

  beforeAll(async () => {
    api = await startTestGateway('postgres+nats', { SEND_TIMEOUT_MS: '30000' });
    admin = api.token('acme', 'ADMIN');
    database = new pg.Client({ connectionString: api.databaseUrl });
    await database.connect();
  });
  afterAll(async () => {
    await database?.end();
    await api?.dispose();
  });

  it('keeps no file for a send refused with 409 because the session is not connected', async () => {
    const sessionId = await newSession('Parada');
    const refused = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      body: { sessionId, to: '5511988887777', ...pdf, fileName: 'nota.pdf' },
    });
    expect(refused.status).toBe(409);
    expect(await filesOf(sessionId)).toBe(0);
  });

  it('keeps no file for a send with an Idempotency-Key refused with 409 because the session is not connected', async () => {
    const sessionId = await newSession('Parada com chave');
    const refused = await api.call('POST', '/whatsapp/messages/send-media', {
      token: admin,
      headers: { 'idempotency-key': 'nota-parada' },
      body: { sessionId, to: '5511988887777', ...pdf, fileName: 'nota.pdf' },
    });
    expect(refused.status).toBe(409);
    expect(await filesOf(sessionId)).toBe(0);
  });

  it('keeps no file for a send whose Idempotency-Key was used for another request (422)', async () => {
    const sessionId = await newSession('Chave reusada');
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
    const send = (data: string) =>
      api.call('POST', '/whatsapp/messages/send-media', {
        token: admin,
        headers: { 'idempotency-key': 'nota-43' },
        body: { sessionId, to: '5511988887777', mimetype: 'application/pdf', data, fileName: 'nota.pdf' },
      });
    expect((await send(pdf.data)).status).toBe(200);
    const reused = await send(Buffer.from('%PDF-1.4 outra nota, maior').toString('base64'));
    expect(reused.status).toBe(422);
    expect(await filesOf(sessionId)).toBe(1);
  });

  it('stores the file of a replayed send once', async () => {
    const sessionId = await newSession('Vendas');
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
    const send = () =>
      api.call('POST', '/whatsapp/messages/send-media', {
        token: admin,
        headers: { 'idempotency-key': 'nota-42' },
        body: { sessionId, to: '5511988887777', ...pdf, fileName: 'nota.pdf' },
      });
    const first = await send();
    const replay = await send();
    expect(first.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await filesOf(sessionId)).toBe(1);
  });
});
