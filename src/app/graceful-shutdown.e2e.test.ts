import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../../test-support/dump-read-models.js';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway } from '../../test-support/spawn-gateway.js';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { openPostgresDatabase } from '../adapters/db/postgres-database.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { openSealedEventStore } from '../../test-support/sealed-event-store.js';
import { allProjectors } from '../projections/all-projectors.js';
import { rebuildProjections } from '../projections/rebuild.js';
import { signToken } from '../sign-token.js';

describe('a gateway stopped with SIGTERM', () => {
  let services: GatewayServices;
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  beforeAll(async () => {
    services = await openGatewayServices('sigterm', jwtSecret);
  });
  afterAll(async () => {
    await services?.dispose();
  });

  const caller = gatewayCaller(token);
  const call = async (url: string, method: string, path: string, body?: unknown) =>
    (await caller(url, method, path, body)).body;

  it('leaves read models equal to a rebuild, with what it recorded while closing', async () => {
    const gateway = await spawnGateway(
      { ...services.env, SIMULATOR_ACK_DELAYS_MS: '10,20,30', HEARTBEAT_INTERVAL_MS: '200' },
      { subjectRoot: services.subjectRoot },
    );
    const ids: string[] = [];
    for (const name of ['Vendas', 'Suporte']) {
      const id = (await call(gateway.url, 'POST', '/sessions', { Session_Name: name })).Id as string;
      await call(gateway.url, 'POST', `/whatsapp/sessions/${id}/start`);
      await call(gateway.url, 'POST', `/simulator/sessions/${id}/scan`);
      for (let n = 0; n < 5; n++)
        await call(gateway.url, 'POST', `/simulator/sessions/${id}/incoming`, {
          from: `551198888000${n}`,
          body: `Oi ${n}`,
          name: `Cliente ${n}`,
        });
      await call(gateway.url, 'POST', '/whatsapp/messages/send', {
        sessionId: id,
        to: '5511988880000',
        message: 'Olá!',
      });
      ids.push(id);
    }
    // Liveness is telemetry beside the read models: it shows in the reply, and a rebuild leaves it alone.
    await eventually(async () => (await call(gateway.url, 'GET', `/sessions/${ids[0]}`)).Last_Heartbeat);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);

    const database = openPostgresDatabase(services.databaseUrl);
    try {
      const db = readModelDb(database.db);
      const store = await openSealedEventStore(database);
      const afterShutdown = await dumpReadModels(db);
      const stopped = await store.readStream(`session-${ids[0]}`, { direction: 'backwards', maxCount: 1 });
      expect(stopped[0]?.type).toBe('SessionStopped');
      expect((afterShutdown.Sessions as { Status: number }[]).map((row) => row.Status)).toEqual([0, 0]);

      await rebuildProjections({ db, store, projectors: allProjectors });
      expect(await dumpReadModels(db)).toEqual(afterShutdown);
      await store.close();
    } finally {
      await database.close();
    }
  });
});
