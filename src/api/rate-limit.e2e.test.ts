import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('rate limits (embedded)', () => {
  let api: TestGateway;
  const limit = 5;

  beforeAll(async () => {
    api = await startTestGateway('pglite+memory', { RATE_LIMIT_PER_MINUTE: String(limit) });
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('counts requests with invalid tokens against their address, answering 429 once it is spent', async () => {
    // The signature's first character changed: its last one carries two padding bits a decoder may ignore.
    const [header, payload, signature] = api.token('acme', 'ADMIN').split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const statuses: number[] = [];
    for (const token of ['not-a-jwt', forged, 'x.y.z']) {
      for (let i = 0; i < limit; i++) statuses.push((await api.call('GET', '/sessions', { token })).status);
    }
    expect(statuses.slice(0, limit)).toEqual(Array<number>(limit).fill(401));
    expect(statuses.slice(limit)).toEqual(Array<number>(statuses.length - limit).fill(429));
    expect((await api.call('GET', '/sessions')).status).toBe(429);
  });

  it('gives each user of a valid token a budget of its own, apart from its address', async () => {
    const token = api.token('globex', 'ADMIN');
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++) statuses.push((await api.call('GET', '/sessions', { token })).status);
    expect(statuses).toEqual([...Array<number>(limit).fill(200), 429]);
  });
});
