import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

describe('the readiness probe', () => {
  let api: TestGateway;

  beforeAll(async () => {
    api = await startTestGateway('postgres+nats');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('is ready with inline projections caught up, and not once a projection has failed', async () => {
    const token = api.token('acme', 'ADMIN');
    await api.call('POST', '/sessions', { token, body: { Session_Name: 'Pronto' } });
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.projections).toContainEqual({
      name: 'messages',
      state: 'inline',
      caughtUp: true,
      lastError: null,
    });

    const client = new pg.Client({ connectionString: api.databaseUrl! });
    await client.connect();
    try {
      await client.query(`update projection_checkpoints set last_error = 'broken' where name = 'messages'`);
      const notReady = await api.call('GET', '/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body.projections).toContainEqual(
        expect.objectContaining({ name: 'messages', state: 'failed', lastError: 'broken' }),
      );
    } finally {
      await client.query(`update projection_checkpoints set last_error = null where name = 'messages'`);
      await client.end();
    }
  });
});
