import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/eventually.js';
import { jwtSecret } from '../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../test-support/spawn-gateway.js';
import { signToken } from './sign-token.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a gateway whose PostgreSQL connections are terminated under traffic', () => {
  let services: GatewayServices;
  let gateway: GatewayProcess | undefined;
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('pg_dropped', jwtSecret);
  });
  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    await services?.dispose();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gateway!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
    };
  };

  async function terminateGatewayBackends(): Promise<void> {
    const admin = new pg.Client({ connectionString: services.databaseUrl });
    await admin.connect();
    try {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
    } finally {
      await admin.end();
    }
  }

  it('keeps running, and records what arrives once the database answers again', async () => {
    gateway = await spawnGateway(
      { ...services.env, SIMULATOR_ACK_DELAYS_MS: '10,20,30' },
      { subjectRoot: services.subjectRoot },
    );
    const sessionId = (await call('POST', '/sessions', { Session_Name: 'Queda' })).body.Id as string;
    await call('POST', `/whatsapp/sessions/${sessionId}/start`);
    await call('POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () => (await call('GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );

    let traffic = true;
    const incoming = (async () => {
      for (let i = 0; traffic; i++)
        await call('POST', `/simulator/sessions/${sessionId}/incoming`, {
          from: '5511977776666',
          body: `mensagem ${i}`,
        }).catch(() => undefined);
    })();
    for (let round = 0; round < 3; round++) {
      await pause(300);
      await terminateGatewayBackends();
    }
    traffic = false;
    await incoming;
    await pause(2000); // the process died about 1.4 s after the connections dropped
    expect(gateway.child.exitCode).toBeNull();

    await call('POST', `/simulator/sessions/${sessionId}/incoming`, {
      from: '5511977776666',
      body: 'depois da queda',
    });
    await eventually(async () => {
      const { body } = await call('GET', `/whatsapp/sessions/${sessionId}/chats/5511977776666/messages`);
      return (body.messages as { body: string }[] | undefined)?.some((m) => m.body === 'depois da queda');
    });
  });
});
