import { readFile } from 'node:fs/promises';
import { spawnBenchGateway } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { sleep } from './support/latency.js';
import { simulatorHeapPerSession } from './support/simulator-heap.js';

const rssKb = async (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);

/** RSS of a gateway process (PostgreSQL, NATS, simulator) holding `count` connected, idle sessions. */
export async function memoryBench(
  count = Number(process.env.BENCH_MEMORY_SESSIONS ?? 1000),
): Promise<BenchResult> {
  const gateway = await spawnBenchGateway();
  try {
    const baselineKb = await rssKb(gateway.pid);
    const ids = await connectSessions(gateway.call, count);
    await sleep(5000);
    const rss = await rssKb(gateway.pid);
    return {
      name: 'memory',
      sessions: ids.length,
      rssMb: Math.round(rss / 1024),
      baselineRssMb: Math.round(baselineKb / 1024),
      rssPerSessionKb: Math.round((rss - baselineKb) / ids.length),
      simulatorHeapPerSessionKb: await simulatorHeapPerSession(count),
    };
  } finally {
    await gateway.dispose();
  }
}
