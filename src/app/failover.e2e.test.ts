import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { signToken } from '../sign-token.js';

describe('a gateway process killed while it runs a session', () => {
  let services: GatewayServices;
  const folders: string[] = [];
  const spawned: GatewayProcess[] = [];
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('failover', jwtSecret);
  });
  afterAll(async () => {
    for (const running of spawned) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(spawned.map((running) => running.exited));
    await services?.dispose();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  // Each process with a data folder of its own: no shared disk.
  const gateway = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-failover-'));
    folders.push(dataDir);
    const started = await spawnGateway(
      { ...services.env, DATA_DIR: dataDir, HEARTBEAT_INTERVAL_MS: '300' },
      { subjectRoot: services.subjectRoot },
    );
    spawned.push(started);
    return started;
  };
  const call = async (url: string, method: string, path: string) => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return (await response.json().catch(() => ({}))) as Record<string, unknown>;
  };
  const post = async (url: string, path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json().catch(() => ({}))) as Record<string, unknown>;
  };

  it('is taken over by another process, connected again without a new QR code', async () => {
    const [a, b] = [await gateway(), await gateway()];
    const id = (await post(a.url, '/sessions', { Session_Name: 'Failover' })).Id as string;
    await call(a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    await call(a.url, 'POST', `/simulator/sessions/${id}/scan`);
    expect((await call(b.url, 'GET', `/whatsapp/sessions/${id}/status`)).status).toBe('connected');
    const qrCodesBefore = await qrCodes(b.url, id);

    a.child.kill('SIGKILL');
    await a.exited;
    await eventually(async () => {
      const events = await audit(b.url, id);
      return (
        events.at(-1)?.type === 'SessionConnected' &&
        events.some((e) => e.type === 'SessionConnecting' && e.data.restoring === true)
      );
      // Three heartbeats of 300 ms make the lease; the takeover comes with a beat after it.
    }, 10_000);
    expect(await qrCodes(b.url, id)).toBe(qrCodesBefore);
    expect((await call(b.url, 'GET', `/whatsapp/sessions/${id}/status`)).status).toBe('connected');
  });

  async function audit(url: string, id: string) {
    return (await call(url, 'GET', `/audit/sessions/${id}/events?limit=1000`)).events as {
      type: string;
      data: Record<string, unknown>;
    }[];
  }

  async function qrCodes(url: string, id: string) {
    return (await audit(url, id)).filter((e) => e.type === 'QrCodeIssued').length;
  }
});
