import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('a session whose process is gone', () => {
  let api: TestGateway;

  beforeAll(async () => {
    // A long heartbeat: the lease is not renewed behind the test's back.
    api = await startTestGateway('postgres+nats', { HEARTBEAT_INTERVAL_MS: '600000' });
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('reads as disconnected once no live process holds its lease, whatever was recorded last', async () => {
    const token = api.token('acme', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'Órfã' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token });
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token });
    expect((await api.call('GET', `/whatsapp/sessions/${id}/status`, { token })).body.status).toBe(
      'connected',
    );

    const client = new pg.Client({ connectionString: api.databaseUrl! });
    await client.connect();
    try {
      // As if the process running it had died and its lease had run out.
      await client.query(`update session_leases set expires_at = now() - interval '1 second'`);
      const status = await api.call('GET', `/whatsapp/sessions/${id}/status`, { token });
      expect(status.body).toEqual({ sessionId: id, status: 'disconnected', isConnected: false });
      const stats = await api.call('GET', '/whatsapp/stats', { token });
      expect(stats.body.connected).toBe(0);
      const send = await api.call('POST', '/whatsapp/messages/send', {
        token,
        body: { sessionId: id, to: '5511988887777', message: 'Alguém aí?' },
      });
      expect(send.status).toBe(409);
    } finally {
      await client.end();
    }
  });
});
