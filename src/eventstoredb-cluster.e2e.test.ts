import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayCaller } from '../test-support/call-gateway.js';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { eventually } from '../test-support/eventually.js';
import { jwtSecret } from '../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../test-support/spawn-gateway.js';
import { signToken } from './sign-token.js';

type Readiness = { status: string; projections: { name: string; state: string }[] };

/**
 * On EventStoreDB the projections follow the store by subscription, in one gateway process at a time: the
 * others' replies wait on the checkpoints it keeps in PostgreSQL, so a reply still means every read shows it.
 */
describe('two gateway processes on EventStoreDB', () => {
  let services: GatewayServices;
  let emulator: EventStoreDbEmulator;
  const gateways: GatewayProcess[] = [];
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });
  const call = gatewayCaller(token);
  const readiness = async (url: string) => (await call(url, 'GET', '/readyz')).body as unknown as Readiness;
  const states = async (url: string) => new Set((await readiness(url)).projections.map((p) => p.state));

  beforeAll(async () => {
    services = await openGatewayServices('esdbcluster', jwtSecret);
    emulator = await startEventStoreDbEmulator();
    const env = {
      ...services.env,
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: emulator.connectionString,
      SIMULATOR_ACK_DELAYS_MS: '20,40,60',
    };
    gateways.push(
      ...(await Promise.all([
        spawnGateway(env, { subjectRoot: services.subjectRoot }),
        spawnGateway(env, { subjectRoot: services.subjectRoot }),
      ])),
    );
  });

  afterAll(async () => {
    for (const gateway of gateways) {
      if (gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    await emulator?.stop();
    await services?.dispose();
  });

  it('projects in one process, answers reads through either, and moves the work when that process dies', async () => {
    let running: GatewayProcess | undefined;
    await eventually(async () => {
      const found = [];
      for (const gateway of gateways) if ((await states(gateway.url)).has('running')) found.push(gateway);
      running = found.length === 1 ? found[0] : undefined;
      return running;
    });
    const standby = gateways.find((gateway) => gateway !== running)!;
    expect(await states(standby.url)).toEqual(new Set(['elsewhere']));
    expect((await readiness(standby.url)).status).toBe('ready');

    // Written through the process that does not project: its reply waited for the one that does.
    const created = await call(standby.url, 'POST', '/sessions', { Session_Name: 'ESDB cluster' });
    const id = created.body.Id as string;
    expect((await call(standby.url, 'GET', `/sessions/${id}`)).body.Session_Name).toBe('ESDB cluster');
    expect((await call(running!.url, 'GET', `/sessions/${id}`)).body.Session_Name).toBe('ESDB cluster');
    expect((await call(standby.url, 'POST', `/whatsapp/sessions/${id}/start`)).body.status).toBe('qr');
    expect((await call(standby.url, 'POST', `/simulator/sessions/${id}/scan`)).status).toBe(204);
    for (let n = 1; n <= 5; n++) {
      await call(standby.url, 'POST', `/simulator/sessions/${id}/incoming`, {
        from: '5511988887777',
        body: `Mensagem ${n}`,
      });
      const read = await call(
        standby.url,
        'GET',
        `/whatsapp/sessions/${id}/chats/5511988887777@c.us/messages`,
      );
      expect(read.body.total).toBe(n);
    }

    running!.child.kill('SIGKILL');
    await running!.exited;
    await eventually(async () => (await states(standby.url)).has('running'), 30_000);
    const renamed = await call(standby.url, 'PATCH', `/sessions/${id}`, { Session_Name: 'Taken over' });
    expect(renamed.status).toBe(200);
    expect((await call(standby.url, 'GET', `/sessions/${id}`)).body.Session_Name).toBe('Taken over');
  });
});
