import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { startOwnNats } from '../../test-support/own-nats.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';
import { signToken } from '../sign-token.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const contact = '5511977776666';

/**
 * Issue 15, "PostgreSQL or NATS down during delivery → deliveries wait and resume, and none is lost": a gateway
 * process keeps receiving messages while PostgreSQL drops every connection over and over (or NATS is stopped);
 * afterwards every stored message reaches the receiver under one webhook-id (repeats of an id are allowed, as
 * retries), and nothing is left pending or failed.
 */
describe('webhook deliveries while PostgreSQL or NATS is down', () => {
  const call = gatewayCaller(
    signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'a', ttl: '1h' }),
    {
      timeoutMs: 30_000,
      unreachableAsZero: true,
    },
  );
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function startTraffic(label: string, env: Record<string, string> = {}) {
    const services: GatewayServices = await openGatewayServices(label, jwtSecret);
    cleanups.push(() => services.dispose());
    const receiver: WebhookReceiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const gateway: GatewayProcess = await spawnGateway(
      {
        ...services.env,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '200',
        WEBHOOK_RETRY_INITIAL_MS: '300',
        WEBHOOK_TIMEOUT_MS: '2000',
        ...env,
      },
      { subjectRoot: services.subjectRoot },
    );
    cleanups.push(async () => {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    });
    const sessionId = (await call(gateway.url, 'POST', '/sessions', { Session_Name: label })).body
      .Id as string;
    await call(gateway.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(gateway.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(gateway.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );
    const webhook = await call(gateway.url, 'POST', '/webhooks', {
      url: receiver.url('/faults'),
      events: ['message'],
    });
    expect(webhook.status).toBe(201);

    let sent = 0;
    const accepted: string[] = [];
    let sending = true;
    const traffic = (async () => {
      while (sending && sent < 40) {
        const body = `mensagem ${sent++}`;
        const reply = await call(gateway.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
          from: contact,
          body,
        });
        if (reply.status === 202) accepted.push(body);
        await pause(50);
      }
    })();
    return {
      services,
      gateway,
      async stopTraffic() {
        sending = false;
        await traffic;
      },
      /** Every stored message was delivered under one webhook-id, and nothing is pending or failed. */
      async expectEveryStoredMessageDeliveredOnce() {
        const after = 'depois da queda';
        await call(gateway.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
          from: contact,
          body: after,
        });
        const stored = await eventually(async () => {
          const { body } = await call(
            gateway.url,
            'GET',
            `/whatsapp/sessions/${sessionId}/chats/${contact}/messages?limit=100`,
          );
          const bodies = (body.messages as { body: string }[] | undefined)?.map((message) => message.body);
          return bodies?.includes(after) && bodies;
        }, 60_000);
        const webhookId = webhook.body.id as string;
        await eventually(async () => {
          const { body } = await call(
            gateway.url,
            'GET',
            `/webhooks/${webhookId}/deliveries?status=pending&limit=1`,
          );
          return (body.deliveries as unknown[] | undefined)?.length === 0;
        }, 60_000);
        const failed = await call(gateway.url, 'GET', `/webhooks/${webhookId}/deliveries?status=failed`);
        expect(failed.body.deliveries).toEqual([]);

        const received = receiver.at('/faults').map((request) => ({
          webhookId: request.headers['webhook-id'] as string,
          body: (JSON.parse(request.body) as { data: { body: string } }).data.body,
        }));
        const bodyOf = new Map<string, string>();
        for (const { webhookId: id, body } of received) {
          expect(bodyOf.get(id) ?? body, `webhook-id ${id} carries one message`).toBe(body);
          bodyOf.set(id, body);
        }
        expect(bodyOf.size).toBe(stored.length);
        expect([...bodyOf.values()].sort()).toEqual([...stored].sort());
        return { accepted, stored };
      },
    };
  }

  it('PostgreSQL dropping every connection for seconds: deliveries wait, resume, and none is lost', async () => {
    const traffic = await startTraffic('wh_pg_down');
    const admin = new pg.Client({ connectionString: traffic.services.databaseUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    await pause(300);
    // About three seconds in which no connection of the gateway lives longer than 50 ms.
    for (const until = Date.now() + 3000; Date.now() < until; await pause(50))
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
    await traffic.stopTraffic();
    expect(traffic.gateway.child.exitCode).toBeNull();
    const { accepted, stored } = await traffic.expectEveryStoredMessageDeliveredOnce();
    expect(accepted.length).toBeGreaterThan(0);
    expect(stored).toEqual(expect.arrayContaining(accepted));
  });

  it('NATS stopped for seconds: deliveries go on, and none is lost', async () => {
    const nats = await startOwnNats();
    cleanups.push(() => nats.dispose());
    const traffic = await startTraffic('wh_nats_down', { NATS_URL: nats.url });
    await pause(300);
    await nats.pause();
    await pause(3000);
    await nats.resume();
    await traffic.stopTraffic();
    expect(traffic.gateway.child.exitCode).toBeNull();
    const { accepted, stored } = await traffic.expectEveryStoredMessageDeliveredOnce();
    expect(accepted.length).toBeGreaterThan(0);
    expect(stored).toEqual(expect.arrayContaining(accepted));
  });
});
