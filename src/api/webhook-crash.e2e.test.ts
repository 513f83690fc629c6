import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';
import { signToken } from '../sign-token.js';

/**
 * The process that stores an event sends its webhook deliveries from memory, claimed in the event's own
 * transaction (first attempts). Killed with those deliveries unsent, it loses none: their claims expire and a
 * process still running sends them, each session's in order.
 */
describe('webhook first attempts of a process killed before it sent them', () => {
  let services: GatewayServices;
  let receiver: WebhookReceiver;
  const folders: string[] = [];
  const spawned: GatewayProcess[] = [];
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('webhook_crash', jwtSecret);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const running of spawned) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(spawned.map((running) => running.exited));
    await receiver?.close();
    await services?.dispose();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  const gateway = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-webhook-crash-'));
    folders.push(dataDir);
    const started = await spawnGateway(
      {
        ...services.env,
        DATA_DIR: dataDir,
        HEARTBEAT_INTERVAL_MS: '300',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        // A first attempt waits this long for an answer; the claims last 30 s more.
        WEBHOOK_TIMEOUT_MS: '4000',
        WEBHOOK_POLL_MS: '200',
      },
      { subjectRoot: services.subjectRoot },
    );
    spawned.push(started);
    return started;
  };
  const request = async (url: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
    };
  };

  it('has every stored message delivered by the process left, in order, once the claims expire', async () => {
    const [a, b] = [await gateway(), await gateway()];
    // The receiver does not answer the first request: the session's later deliveries wait in A's memory.
    receiver.answer('/crash', (n) => (n === 1 ? 'hang' : 'ok'));
    const hook = await request(a.url, 'POST', '/webhooks', {
      url: receiver.url('/crash'),
      events: ['message'],
    });
    expect(hook.status).toBe(201);
    const id = (await request(a.url, 'POST', '/sessions', { Session_Name: 'Crash' })).body.Id as string;
    await request(a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    await request(a.url, 'POST', `/simulator/sessions/${id}/scan`);
    const texts = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
    for (const text of texts) {
      const sent = await request(a.url, 'POST', `/simulator/sessions/${id}/incoming`, {
        from: '5511955550001',
        body: text,
      });
      expect(sent.status).toBe(202);
    }
    await eventually(() => receiver.at('/crash').length >= 1);
    const beforeKill = receiver.at('/crash').length;

    a.child.kill('SIGKILL');
    await a.exited;

    const bodies = () =>
      receiver
        .at('/crash')
        .map((received) => (JSON.parse(received.body) as { data: { body: string } }).data.body);
    await eventually(() => texts.every((text) => bodies().includes(text)), 60_000);
    expect(beforeKill).toBeLessThan(texts.length);
    const firstOfEach = bodies().filter((body, index, all) => all.indexOf(body) === index);
    expect(firstOfEach).toEqual(texts);
    const log = await request(
      b.url,
      'GET',
      `/webhooks/${hook.body.id as string}/deliveries?status=delivered&limit=50`,
    );
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toHaveLength(20);
  }, 90_000);
});
