import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/eventually.js';
import { jwtSecret } from '../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../test-support/spawn-gateway.js';
import { gatewayCaller } from '../test-support/call-gateway.js';
import { signToken } from './sign-token.js';

describe('two gateway processes serving a company whose id holds dots', () => {
  let services: GatewayServices;
  const gateways: GatewayProcess[] = [];
  const token = signToken(jwtSecret, { companyId: 'acme.com.br', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('dotted', jwtSecret);
    for (let i = 0; i < 2; i++)
      gateways.push(
        await spawnGateway(
          { ...services.env, SIMULATOR_ACK_DELAYS_MS: '10,20,30' },
          { subjectRoot: services.subjectRoot },
        ),
      );
  });
  afterAll(async () => {
    for (const gateway of gateways) {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    await services?.dispose();
  });

  const call = gatewayCaller(token);

  it('stops the session in the process that runs it when the stop is asked of the other one', async () => {
    const [running, other] = gateways.map((gateway) => gateway.url) as [string, string];
    const sessionId = (await call(running, 'POST', '/sessions', { Session_Name: 'Pontos' })).body
      .Id as string;
    await call(running, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(running, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(running, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );

    expect((await call(other, 'POST', `/whatsapp/sessions/${sessionId}/stop`)).status).toBeLessThan(300);
    // The process that ran the session closes its driver: its simulated phone no longer takes messages.
    const incoming = () =>
      call(running, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
        from: '5511988887777',
        body: 'ainda aí?',
      });
    await eventually(async () => (await incoming()).status === 409);
  });
});
