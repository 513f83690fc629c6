import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestGateway, type TestGateway } from '../../../test-support/gateway-harness.js';

describe('token verification', () => {
  let api: TestGateway;

  beforeAll(async () => {
    api = await startTestGateway('pglite+memory');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('checks a request’s signature once, for the rate limit and access control together', async () => {
    const verify = vi.spyOn(api.gateway.app.jwt, 'verify');
    const reply = await api.call('GET', '/sessions', { token: api.token('acme', 'ADMIN') });
    expect(reply.status).toBe(200);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });
});
