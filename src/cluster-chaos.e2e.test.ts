import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { gatewayCaller } from '../test-support/call-gateway.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpReadModels } from '../test-support/dump-read-models.js';
import { eventually } from '../test-support/eventually.js';
import { jwtSecret } from '../test-support/gateway-harness.js';
import { simulatorGatewayEnvironment } from '../test-support/gateway-services.js';
import { startOwnNats } from '../test-support/own-nats.js';
import { createTestDatabase, type TestDatabase } from '../test-support/postgres.js';
import { spawnGateway, type GatewayProcess } from '../test-support/spawn-gateway.js';
import { openPostgresDatabase } from './adapters/db/postgres-database.js';
import { readModelDb } from './adapters/db/read-model-db.js';
import { openSealedEventStore } from '../test-support/sealed-event-store.js';
import { allProjectors } from './projections/all-projectors.js';
import { rebuildProjections } from './projections/rebuild.js';
import { signToken } from './sign-token.js';

const sessionCount = 30;
const trafficMs = 40_000;
const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'chaos', ttl: '1h' });

/**
 * Three gateway processes on one PostgreSQL and a NATS server of the test's own, 30 simulated sessions, incoming
 * messages and sends all the time; meanwhile a process is killed (-9) twice and restarted, every database
 * backend is terminated once and NATS is restarted once. Afterwards nothing is lost, nothing is sent twice, every
 * session is connected again without a new QR code, no checkpoint ever moved back, and the read models equal a
 * rebuild.
 */
describe('a cluster under faults', () => {
  let database: TestDatabase;
  let nats: Awaited<ReturnType<typeof startOwnNats>>;
  const folders: string[] = [];
  const slots: (GatewayProcess | undefined)[] = [undefined, undefined, undefined];
  const every: GatewayProcess[] = [];
  const subjectRoot = `chaos${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    database = await createTestDatabase('chaos');
    nats = await startOwnNats();
  });
  afterAll(async () => {
    for (const running of every) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(every.map((running) => running.exited));
    await nats?.dispose();
    await database?.drop();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  async function launch(slot: number): Promise<GatewayProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), `zapledger-chaos-${slot}-`));
    folders.push(dataDir);
    const started = await spawnGateway(
      {
        ...simulatorGatewayEnvironment(dataDir, jwtSecret),
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        NATS_STREAM: `ZL_${subjectRoot.toUpperCase()}`,
        HEARTBEAT_INTERVAL_MS: '500',
        SIMULATOR_ACK_DELAYS_MS: '20,40,60',
        SEND_RATE_PER_SESSION: '0',
        SEND_TIMEOUT_MS: '10000',
        // One token plays every client: the per-user limit would answer most of them 429.
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
      { subjectRoot },
    );
    slots[slot] = started;
    every.push(started);
    return started;
  }

  const live = () => slots.filter((slot): slot is GatewayProcess => slot !== undefined);
  const anyLive = () => live()[Math.floor(Math.random() * live().length)]!;

  const call = gatewayCaller(token, { timeoutMs: 15_000, unreachableAsZero: true });

  it('loses nothing, sends nothing twice, and comes back whole', async () => {
    for (const slot of [0, 1, 2]) await launch(slot);
    const sessions: string[] = [];
    for (let n = 0; n < sessionCount; n++) {
      const owner = slots[n % 3]!;
      const id = (await call(owner.url, 'POST', '/sessions', { Session_Name: `Chaos ${n}` })).body
        .Id as string;
      await call(owner.url, 'POST', `/whatsapp/sessions/${id}/start`);
      expect((await call(owner.url, 'POST', `/simulator/sessions/${id}/scan`)).status).toBe(204);
      sessions.push(id);
    }

    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // Its idle connections are among the backends the test terminates.
    pool.on('error', () => undefined);
    const received: string[] = [];
    const sentOk: string[] = [];
    const pending: string[] = [];
    const checkpointMovedBack: string[] = [];
    const lastCheckpoint = new Map<string, number[]>();
    let running = true;
    // Figures for the report: the longest time some session was not connected on a live process, and the most
    // facts waiting in the processes' spools at once.
    let notAllConnectedSince: number | undefined;
    let longestOutageMs = 0;
    let mostSpooled = 0;
    const attemptsOf = new Map<string, number[]>();
    const busReconnecting = 'O barramento entre os processos está reconectando; tente novamente';

    const incoming = async () => {
      while (running) {
        const id = sessions[Math.floor(Math.random() * sessions.length)]!;
        const body = `in ${randomUUID()}`;
        // The simulator's phones live in the process that runs each session: the others answer 409.
        const statuses: number[] = [];
        for (const gateway of live()) {
          const reply = await call(gateway.url, 'POST', `/simulator/sessions/${id}/incoming`, {
            from: `55119${String(Math.floor(Math.random() * 5)).padStart(8, '0')}`,
            body,
          });
          statuses.push(reply.status);
          if (reply.status === 202) {
            received.push(body);
            attemptsOf.set(body, statuses);
            break;
          }
          // Asked again elsewhere only when surely not sent (no phone there, or refused before asking it): after
          // an answer that leaves it open (a timeout), the phone may have sent it, and asking again would make a
          // second message, as a person tapping send twice would.
          const refusedBeforeAsking =
            reply.status === 409 || (reply.status === 503 && reply.body.message === busReconnecting);
          if (!refusedBeforeAsking) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const sending = async () => {
      for (let n = 0; running; n++) {
        const id = sessions[Math.floor(Math.random() * sessions.length)]!;
        const body = `out ${randomUUID()}`;
        const reply = await call(
          anyLive().url,
          'POST',
          '/whatsapp/messages/send',
          { sessionId: id, to: '5511977770000', message: body },
          n % 2 === 0 ? { 'idempotency-key': randomUUID() } : {},
        );
        if (reply.status === 200) sentOk.push(body);
        else if (reply.status === 202) pending.push(body);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const sampling = async () => {
      while (running) {
        const { rows } = await pool
          .query<{ name: string; checkpoint: string | null }>(
            'select name, checkpoint from projection_checkpoints',
          )
          .catch(() => ({ rows: [] as { name: string; checkpoint: string | null }[] }));
        for (const row of rows) {
          if (!row.checkpoint) continue;
          const now = row.checkpoint.split(':').map(Number);
          const before = lastCheckpoint.get(row.name);
          if (before && (now[0]! < before[0]! || (now[0] === before[0] && now[1]! < before[1]!)))
            checkpointMovedBack.push(`${row.name}: ${before.join(':')} → ${row.checkpoint}`);
          lastCheckpoint.set(row.name, now);
        }
        const connected = await pool
          .query<{ count: string }>(
            `select count(*) from "Sessions" s where s."Status" = 3 and exists (select 1 from session_leases l
              where l.session_id = s."Id"::text::uuid and l.expires_at > now())`,
          )
          .then(
            (result) => Number(result.rows[0]!.count),
            () => undefined,
          );
        if (connected !== undefined && connected < sessionCount) notAllConnectedSince ??= Date.now();
        if (connected === sessionCount && notAllConnectedSince !== undefined) {
          longestOutageMs = Math.max(longestOutageMs, Date.now() - notAllConnectedSince);
          notAllConnectedSince = undefined;
        }
        const spooled = await Promise.all(
          live().map(async (gateway) =>
            Number((await call(gateway.url, 'GET', '/readyz')).body.spooledFacts ?? 0),
          ),
        );
        mostSpooled = Math.max(
          mostSpooled,
          spooled.reduce((sum, n) => sum + n, 0),
        );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const faults = async () => {
      const at = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await at(6000);
      slots[0]!.child.kill('SIGKILL');
      slots[0] = undefined;
      await at(3000);
      await launch(0);
      await at(4000);
      await pool.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      await at(5000);
      await nats.restart();
      await at(6000);
      slots[1]!.child.kill('SIGKILL');
      slots[1] = undefined;
      await at(3000);
      await launch(1);
    };

    const traffic = [incoming(), incoming(), sending(), sampling()];
    await faults();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, trafficMs - 30_000)));
    running = false;
    await Promise.all(traffic);

    // Every session runs again, on some process, without a QR code since the first.
    await eventually(async () => {
      const statuses = await Promise.all(
        sessions.map(
          async (id) => (await call(anyLive().url, 'GET', `/whatsapp/sessions/${id}/status`)).body.status,
        ),
      );
      return statuses.every((status) => status === 'connected');
    }, 20_000);
    // Named with their history, should one have shown a second QR code.
    const { rows: askedToScanAgain } = await pool.query<{ stream: string; history: string }>(
      `select stream_name as stream, string_agg(event_type || '@' || to_char(recorded_at, 'MI:SS.MS'), ' ' order by stream_revision) as history
       from events where stream_name in (
         select stream_name from events where event_type = 'QrCodeIssued' group by stream_name having count(*) > 1)
       group by stream_name`,
    );
    expect(askedToScanAgain).toEqual([]);

    // Every 202 settles; one that does not is named with what its chat's history says of it.
    const unsettled = async () =>
      (
        await pool.query<{ id: string; history: string }>(
          `select m."Id" as id, (select string_agg(e.event_type, ' ' order by e.stream_revision) from events e
             where e.data->>'messageId' = m."Id"::text) as history
           from "Messages" m where m."Body" = any($1) and m."Wa_Message_Id" is null and m."Status" <> 0`,
          [pending],
        )
      ).rows;
    await eventually(async () => (await unsettled()).length === 0, 30_000).catch(() => undefined);
    expect(await unsettled()).toEqual([]);

    const { rows: incomingRows } = await pool.query<{ body: string; count: string }>(
      `select "Body" as body, count(*) from "Messages" where "Direction" = 'IN' group by "Body"`,
    );
    const incomingCount = new Map(incomingRows.map((row) => [row.body, Number(row.count)]));
    expect(
      received
        .filter((body) => incomingCount.get(body) !== 1)
        .map((body) => [body, incomingCount.get(body) ?? 0]),
    ).toEqual([]);

    const { rows: sentRows } = await pool.query<{ body: string; count: string }>(
      'select body, count(*) from simulator_sent group by body',
    );
    const sentCount = new Map(sentRows.map((row) => [row.body, Number(row.count)]));
    expect(
      sentOk.filter((body) => sentCount.get(body) !== 1).map((body) => [body, sentCount.get(body) ?? 0]),
    ).toEqual([]);
    expect([...sentCount.values()].filter((count) => count > 1)).toEqual([]);
    expect(checkpointMovedBack).toEqual([]);
    if (process.env.CHAOS_REPORT)
      console.log(
        JSON.stringify({
          incomingMessages: received.length,
          sendsAnswered200: sentOk.length,
          sendsAnswered202: pending.length,
          longestOutageMs,
          mostSpooledFacts: mostSpooled,
        }),
      );
    expect(received.length).toBeGreaterThan(100);
    expect(sentOk.length).toBeGreaterThan(50);
    await pool.end();

    for (const gateway of live()) {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    const readModels = openPostgresDatabase(database.url);
    try {
      const db = readModelDb(readModels.db);
      const store = await openSealedEventStore(readModels);
      const before = await dumpReadModels(db);
      await rebuildProjections({ db, store, projectors: allProjectors });
      expect(await dumpReadModels(db)).toEqual(before);
      await store.close();
    } finally {
      await readModels.close();
    }
  }, 180_000);
});
