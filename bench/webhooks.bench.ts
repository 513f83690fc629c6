import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';
import { spawnBenchGateway } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { percentile, sleep } from './support/latency.js';

const settings = {
  sessions: Number(process.env.BENCH_WEBHOOKS_SESSIONS ?? 10),
  endpoints: Number(process.env.BENCH_WEBHOOKS_ENDPOINTS ?? 10),
  ratePerSecond: Number(process.env.BENCH_WEBHOOKS_RATE ?? 1000),
  seconds: Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 20),
  /** Simulator calls in flight at most: a message offered while all are busy waits for one (and that counts). */
  connections: Number(process.env.BENCH_WEBHOOKS_CONNECTIONS ?? 64),
  drainMs: 30_000,
};

interface DeliveryBody {
  id: string;
  occurredAt: string;
  data: { body: string };
}

/**
 * Contacts write 1,000 messages a second (through the simulator's HTTP control) to a gateway process with 10
 * webhooks on a local receiver, each wanting every message: how many messages a second the gateway accepted of
 * those offered, how long from a message's arrival to its delivery, and whether any delivery is lost or repeated.
 *
 * `p50Ms`/`p99Ms` count from the moment the contact's message is offered (when WhatsApp's fact would reach the
 * gateway): a message the gateway cannot take yet waits, and that wait counts. `storedToDelivery…` count from the
 * event's storage (`occurredAt`, the database's clock, the same machine's) and leave that wait out; they alone
 * describe the delivery path, and only mean the whole latency when `acceptedPerSecond` keeps up with the offer.
 */
export async function webhooksBench(): Promise<BenchResult> {
  const { sessions, endpoints, ratePerSecond, seconds } = settings;
  const gateway = await spawnBenchGateway({ WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' });
  const agent = new Agent({ connections: settings.connections });
  const storedLatencies: number[] = [];
  const latencies: number[] = [];
  const injectedAt = new Map<string, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as DeliveryBody;
      const key = `${request.url}:${body.id}`;
      if (seen.has(key)) duplicates++;
      else {
        seen.add(key);
        storedLatencies.push(at - Date.parse(body.occurredAt));
        const sentAt = injectedAt.get(body.data.body);
        if (sentAt !== undefined) latencies.push(performance.now() - sentAt);
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  try {
    const ids = await connectSessions(gateway.call, sessions);
    for (let endpoint = 0; endpoint < endpoints; endpoint++) {
      const created = await gateway.call('POST', '/webhooks', {
        url: `http://127.0.0.1:${port}/hook/${endpoint}`,
        events: ['message'],
      });
      if (created.status !== 201) throw new Error(`POST /webhooks: ${JSON.stringify(created)}`);
    }

    let injected = 0;
    let refused = 0;
    let lastAcceptedAt = 0;
    const inflight = new Set<Promise<void>>();
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const due = Math.round(((performance.now() - started) / 1000) * ratePerSecond);
      while (injected < due) {
        const n = injected++;
        const body = `webhook ${n}`;
        injectedAt.set(body, performance.now());
        const request = undiciRequest(`${gateway.url}/simulator/sessions/${ids[n % sessions]!}/incoming`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ from: `5511955${String(n % 1000).padStart(6, '0')}`, body }),
          dispatcher: agent,
        })
          .then(async (response) => {
            if (response.statusCode !== 202) refused++;
            else lastAcceptedAt = performance.now();
            await response.body.dump();
          })
          .finally(() => inflight.delete(request));
        inflight.add(request);
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const acceptedFor = Math.max(lastAcceptedAt - started, seconds * 1000);
    const expected = (injected - refused) * endpoints;
    const drainUntil = performance.now() + settings.drainMs;
    while (seen.size < expected && performance.now() < drainUntil) await sleep(50);
    return {
      name: 'webhooks',
      sessions,
      endpoints,
      connections: settings.connections,
      offeredPerSecond: ratePerSecond,
      acceptedPerSecond: Math.round((injected - refused) / (acceptedFor / 1000)),
      deliveries: seen.size,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      storedToDeliveryP50Ms: percentile(storedLatencies, 50),
      storedToDeliveryP99Ms: percentile(storedLatencies, 99),
      lost: expected - seen.size,
      duplicates,
      refused,
    };
  } finally {
    await agent.close();
    await gateway.dispose();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
