import { Agent, request as undiciRequest } from 'undici';
import { spawnBenchGateway } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { openFrameSockets } from './support/frame-sockets.js';
import { percentile, sleep } from './support/latency.js';
import { rawFramesPerSecond } from './support/raw-limits.js';

const settings = {
  sessions: Number(process.env.BENCH_FANOUT_SESSIONS ?? 100),
  clientsPerSession: 10,
  ratePerSecond: Number(process.env.BENCH_FANOUT_RATE ?? 1000),
  seconds: 10,
  drainMs: 10_000,
};

/**
 * 1,000 WebSocket clients (10 on each of 100 sessions) while contacts write 1,000 messages a second through the
 * simulator's HTTP control: how fast frames reach every client, and whether any is lost or repeated.
 */
export async function fanoutBench(): Promise<BenchResult> {
  const { sessions, clientsPerSession, ratePerSecond, seconds } = settings;
  const gateway = await spawnBenchGateway();
  const agent = new Agent({ connections: 64 });
  try {
    const ids = await connectSessions(gateway.call, sessions);
    const injectedAt = new Map<string, number>();
    const latencies: number[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    const subscribers = ids.flatMap((id) => Array.from({ length: clientsPerSession }, () => id));
    const clients = await Promise.all(
      subscribers.map((id, client) =>
        openFrameSockets(gateway.wsUrl, gateway.token, [id], (frame, at) => {
          const sentAt = injectedAt.get(frame.body);
          if (sentAt === undefined) return;
          const key = `${client}:${frame.body}`;
          if (seen.has(key)) duplicates++;
          seen.add(key);
          latencies.push(at - sentAt);
        }),
      ),
    );

    let injected = 0;
    let refused = 0;
    const inflight = new Set<Promise<void>>();
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const due = Math.round(((performance.now() - started) / 1000) * ratePerSecond);
      while (injected < due) {
        const n = injected++;
        const body = `fanout ${n}`;
        injectedAt.set(body, performance.now());
        const sessionId = ids[n % sessions]!;
        const request = undiciRequest(`${gateway.url}/simulator/sessions/${sessionId}/incoming`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ from: `5511955${String(n % 1000).padStart(6, '0')}`, body }),
          dispatcher: agent,
        })
          .then(async (response) => {
            if (response.statusCode !== 202) refused++;
            await response.body.dump();
          })
          .finally(() => inflight.delete(request));
        inflight.add(request);
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const expected = (injected - refused) * clientsPerSession;
    const drainUntil = performance.now() + settings.drainMs;
    while (seen.size < expected && performance.now() < drainUntil) await sleep(50);
    const elapsedSeconds = (performance.now() - started) / 1000;
    for (const client of clients) client.close();
    const raw = await rawFramesPerSecond(subscribers.length);
    const deliveredPerSecond = Math.round(seen.size / elapsedSeconds);
    return {
      name: 'fanout',
      clients: subscribers.length,
      sessions,
      messagesPerSecond: Math.round(injected / seconds),
      deliveredPerSecond,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      lost: expected - seen.size,
      duplicates,
      refused,
      rawFramesPerSecond: raw,
      ratio: Math.round((deliveredPerSecond / raw) * 1000) / 1000,
    };
  } finally {
    await agent.close();
    await gateway.dispose();
  }
}
