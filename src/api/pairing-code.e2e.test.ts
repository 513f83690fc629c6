import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtSecret, openSocket } from '../../test-support/gateway-harness.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';
import { signToken } from '../sign-token.js';

/**
 * API.md "Media and contacts", linking by phone number: start with `{ phoneNumber }` answers status `pairing`
 * and a pairing code, shown by GET …/status and `status_change` frames on every process; the phone entering the
 * code (the simulator's /pair) connects the session.
 */
describe('linking a session by phone number across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let call: ReturnType<typeof pair.caller>;

  beforeAll(async () => {
    pair = await startGatewayPair('pairing');
    call = pair.caller('acme');
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  const newSession = async (name: string) =>
    (await call(pair.a.url, 'POST', '/sessions', { Session_Name: name })).body.Id as string;

  it('answers a pairing code, shows it everywhere, and connects once the phone enters it', async () => {
    const id = await newSession('Por número');
    const token = signToken(jwtSecret, { companyId: 'acme', role: 'AGENT', sub: 'agent', ttl: '1h' });
    const socket = await openSocket(`${pair.b.url.replace(/^http/, 'ws')}/ws/whatsapp/${id}?token=${token}`);
    try {
      const started = await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/start`, {
        phoneNumber: '+5511999999999',
      });
      expect(started.status).toBe(200);
      expect(started.body).toEqual({
        message: 'Sessão iniciada com sucesso',
        status: 'pairing',
        pairingCode: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/) as unknown,
      });
      const code = started.body.pairingCode as string;
      expect((await call(pair.b.url, 'GET', `/whatsapp/sessions/${id}/status`)).body).toEqual({
        sessionId: id,
        status: 'pairing',
        isConnected: false,
        pairingCode: code,
      });
      const frame = await socket.next((f) => f.type === 'status_change' && f.data.status === 'pairing');
      expect(frame.data).toMatchObject({ sessionId: id, pairingCode: code, isConnected: false });
      expect((await call(pair.b.url, 'GET', `/whatsapp/sessions/${id}/qr`)).status).toBe(404);

      const wrong = await call(pair.b.url, 'POST', `/simulator/sessions/${id}/pair`, { code: 'ZZZZ-ZZZZ' });
      expect(wrong.status).toBe(400);
      expect((await call(pair.b.url, 'GET', `/whatsapp/sessions/${id}/status`)).body.status).toBe('pairing');

      expect((await call(pair.b.url, 'POST', `/simulator/sessions/${id}/pair`, { code })).status).toBe(204);
      expect((await call(pair.b.url, 'GET', `/whatsapp/sessions/${id}/status`)).body).toEqual({
        sessionId: id,
        status: 'connected',
        isConnected: true,
      });
      await socket.next((f) => f.type === 'status_change' && f.data.status === 'connected');

      const again = await call(pair.b.url, 'POST', `/whatsapp/sessions/${id}/start`, {
        phoneNumber: '5511999999999',
      });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('A sessão já está conectada');
      const sessionRow = (await call(pair.b.url, 'GET', `/sessions/${id}`)).body;
      expect(sessionRow.Status).toBe(3);
    } finally {
      await socket.close();
    }
  });

  it('refuses a malformed phone number with 400', async () => {
    const id = await newSession('Número ruim');
    for (const phoneNumber of ['abc', '123', '5511-9999-9999', '']) {
      const reply = await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/start`, { phoneNumber });
      expect(reply.status, phoneNumber).toBe(400);
    }
    expect((await call(pair.a.url, 'GET', `/whatsapp/sessions/${id}/status`)).body.status).toBe(
      'disconnected',
    );
  });

  it('refuses linking by number while the session shows a QR code (stop it first)', async () => {
    const id = await newSession('QR primeiro');
    const plain = await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    expect(plain.body, JSON.stringify(plain.body)).toMatchObject({ status: 'qr' });
    const byNumber = await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/start`, {
      phoneNumber: '5511999999999',
    });
    expect(byNumber.status).toBe(409);
    const elsewhere = await call(pair.b.url, 'POST', `/whatsapp/sessions/${id}/start`, {
      phoneNumber: '5511999999999',
    });
    expect(elsewhere.status).toBe(409);
    expect((await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/stop`)).status).toBe(200);
    const afterStop = await call(pair.b.url, 'POST', `/whatsapp/sessions/${id}/start`, {
      phoneNumber: '5511999999999',
    });
    expect(afterStop.body.status).toBe('pairing');
  });
});
