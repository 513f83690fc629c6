import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { signToken } from '../sign-token.js';

/**
 * A stop asked of one process while the process that ran the session died without a trace (on another host,
 * its lease still valid for up to three heartbeats): the stop is recorded within seconds, not refused with 504.
 */
describe('stopping a session whose process died', () => {
  let services: GatewayServices;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });
  const call = gatewayCaller(token);

  beforeAll(async () => {
    services = await openGatewayServices('deadowner', jwtSecret);
    // Long heartbeats: the dead process's lease outlives the whole test.
    const env = { ...services.env, HEARTBEAT_INTERVAL_MS: '60000' };
    [a, b] = await Promise.all([
      spawnGateway(env, { subjectRoot: services.subjectRoot }),
      spawnGateway(env, { subjectRoot: services.subjectRoot }),
    ]);
  });

  afterAll(async () => {
    for (const gateway of [a, b]) {
      if (gateway && gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
      await gateway?.exited;
    }
    await services?.dispose();
  });

  it('records the stop once the other process proves gone, and nobody restores the session', async () => {
    const id = (await call(a.url, 'POST', '/sessions', { Session_Name: 'Órfã' })).body.Id as string;
    await call(a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    expect((await call(a.url, 'POST', `/simulator/sessions/${id}/scan`)).status).toBe(204);
    a.child.kill('SIGKILL');
    await a.exited;

    const asked = Date.now();
    const stopped = await call(b.url, 'POST', `/whatsapp/sessions/${id}/stop`);
    expect(stopped.status).toBe(200);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect((await call(b.url, 'GET', `/whatsapp/sessions/${id}/status`)).body.status).toBe('disconnected');
    const events = (await call(b.url, 'GET', `/audit/sessions/${id}/events`)).body.events as {
      type: string;
    }[];
    expect(events.map((e) => e.type).slice(-2)).toEqual(['SessionStopRequested', 'SessionStopped']);
  });

  it('still waits for a live process that runs the session, and the stop is its own', async () => {
    const id = (await call(b.url, 'POST', '/sessions', { Session_Name: 'Viva' })).body.Id as string;
    await call(b.url, 'POST', `/whatsapp/sessions/${id}/start`);
    expect((await call(b.url, 'POST', `/simulator/sessions/${id}/scan`)).status).toBe(204);
    const c = await spawnGateway(
      { ...services.env, HEARTBEAT_INTERVAL_MS: '60000' },
      { subjectRoot: services.subjectRoot },
    );
    try {
      expect((await call(c.url, 'POST', `/whatsapp/sessions/${id}/stop`)).status).toBe(200);
      const events = (await call(c.url, 'GET', `/audit/sessions/${id}/events`)).body.events as {
        type: string;
      }[];
      expect(events.filter((e) => e.type === 'SessionStopped')).toHaveLength(1);
    } finally {
      c.child.kill('SIGTERM');
      await c.exited;
    }
  });
});
