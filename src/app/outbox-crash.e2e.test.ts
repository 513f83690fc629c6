import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { signToken } from '../sign-token.js';

describe('a gateway killed (SIGKILL) while WhatsApp is taking a message', () => {
  let services: GatewayServices;
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('outbox_crash', jwtSecret);
  });
  const spawned: GatewayProcess[] = [];
  afterAll(async () => {
    // A test that failed half-way leaves its gateways running: they would keep the test runner from exiting.
    for (const running of spawned) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(spawned.map((running) => running.exited));
    await services?.dispose();
  });

  const gateway = async (sendDelayMs: number): Promise<GatewayProcess> => {
    const started = await spawnGateway(
      {
        ...services.env,
        SIMULATOR_ACK_DELAYS_MS: '10,20,30',
        // The killed process's lease on the session expires after three heartbeats.
        HEARTBEAT_INTERVAL_MS: '1000',
      },
      { subjectRoot: services.subjectRoot, simulatorSettings: { sendDelayMs } },
    );
    spawned.push(started);
    return started;
  };

  const call = gatewayCaller(token);

  it('neither sends the message twice nor loses it: after the restart it is settled exactly once', async () => {
    const first = await gateway(60_000);
    const sessionId = (await call(first.url, 'POST', '/sessions', { Session_Name: 'Crash' })).body
      .Id as string;
    await call(first.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(first.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(first.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );

    const pendingReply = call(first.url, 'POST', '/whatsapp/messages/send', {
      sessionId,
      to: '5511988887777',
      message: 'Antes da queda',
    }).catch(() => undefined);
    const events = async (url: string) =>
      (await call(url, 'GET', `/audit/sessions/${sessionId}/events?limit=1000`)).body.events as {
        type: string;
        data: Record<string, unknown>;
      }[];
    await eventually(async () => (await events(first.url)).some((e) => e.type === 'MessageSendAttempted'));
    first.child.kill('SIGKILL');
    await first.exited;
    await pendingReply;

    const second = await gateway(0);
    const outcome = await eventually(async () => {
      const all = await events(second.url);
      const settled = all.filter(
        (e) => e.type === 'MessageSent' || (e.type === 'MessageSendFailed' && e.data.final === true),
      );
      return settled.length > 0 && all;
    }, 20_000);
    const settled = outcome.filter((e) => e.type === 'MessageSent' || e.type === 'MessageSendFailed');
    expect(settled).toHaveLength(1);
    expect(outcome.filter((e) => e.type === 'MessageSendAttempted')).toHaveLength(1);
    if (settled[0]!.type === 'MessageSendFailed') expect(settled[0]!.data.reason).toMatch(/not sent again/);
    const messages = await call(
      second.url,
      'GET',
      `/whatsapp/sessions/${sessionId}/chats/5511988887777@c.us/messages`,
    );
    expect(messages.body.total).toBe(1);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
