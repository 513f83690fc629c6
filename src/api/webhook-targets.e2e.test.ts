import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('webhook targets (embedded, private addresses not allowed)', () => {
  let api: TestGateway;
  let admin: string;

  beforeAll(async () => {
    api = await startTestGateway('pglite+memory');
    admin = api.token('acme', 'ADMIN');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it.each([
    'http://127.0.0.1:9/hook',
    'http://localhost:9/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'https://10.1.2.3/hook',
    'http://0x7f.1/hook',
  ])('refuses %s at registration with 400', async (url) => {
    const reply = await api.call('POST', '/webhooks', { token: admin, body: { url, events: ['message'] } });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/endereço/);
  });

  it('refuses a session of another company with 404', async () => {
    const other = api.token('other', 'ADMIN');
    const sessionId = (await api.call('POST', '/sessions', { token: other, body: { Session_Name: 'Outra' } }))
      .body.Id as string;
    const reply = await api.call('POST', '/webhooks', {
      token: admin,
      body: { url: 'https://crm.example/hook', events: ['message'], sessionId },
    });
    expect(reply.status).toBe(404);
  });
});
