import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundedParallel } from '../src/app/supervisor-timing.js';
import { signToken } from '../src/sign-token.js';
import { deleteTestStream, testNatsUrl } from '../test-support/nats.js';
import { createTestDatabase } from '../test-support/postgres.js';
import { spawnGateway } from '../test-support/spawn-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { simulatorHeapPerSession } from './support/simulator-heap.js';

const secret = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

const rssKb = async (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);

/** RSS of a gateway process (PostgreSQL, NATS, simulator) holding `count` connected, idle sessions. */
export async function memoryBench(
  count = Number(process.env.BENCH_MEMORY_SESSIONS ?? 1000),
): Promise<BenchResult> {
  const database = await createTestDatabase('bench_memory');
  const natsUrl = await testNatsUrl();
  const stream = `ZL_BENCH_${randomBytes(4).toString('hex').toUpperCase()}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-bench-'));
  const gateway = await spawnGateway(
    {
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      NATS_STREAM: stream,
      DATA_DIR: dataDir,
      WA_DRIVER: 'simulator',
      JWT_SECRET: secret,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    { subjectRoot: `bench${randomBytes(3).toString('hex')}` },
  );
  const { child, url } = gateway;
  try {
    const token = signToken(secret, { companyId: 'bench', role: 'ADMIN', sub: 'bench', ttl: '1h' });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json().catch(() => ({}))) as Record<string, unknown>,
      }));
    const baselineKb = await rssKb(child.pid!);
    const ids: string[] = [];
    await boundedParallel(
      Array.from({ length: count }, (_, i) => i),
      16,
      async (i) => {
        const id = (await call('POST', '/sessions', { Session_Name: `Idle ${i}` })).body.Id as string;
        await call('POST', `/whatsapp/sessions/${id}/start`);
        await call('POST', `/simulator/sessions/${id}/scan`);
        ids.push(id);
      },
    );
    for (;;) {
      const stats = (await call('GET', '/whatsapp/stats')).body;
      if (stats.connected === count) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const rss = await rssKb(child.pid!);
    return {
      name: 'memory',
      sessions: ids.length,
      rssMb: Math.round(rss / 1024),
      baselineRssMb: Math.round(baselineKb / 1024),
      rssPerSessionKb: Math.round((rss - baselineKb) / ids.length),
      simulatorHeapPerSessionKb: await simulatorHeapPerSession(count),
    };
  } finally {
    child.kill('SIGTERM');
    await gateway.exited;
    await deleteTestStream(natsUrl, stream);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
