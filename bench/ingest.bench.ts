import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.js';
import { benchToken, httpCaller, openBenchServices } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { openFrameSockets } from './support/frame-sockets.js';
import { percentile, sleep, waitFor } from './support/latency.js';
import { rawInsertRowsPerSecond } from './support/raw-insert.js';

const settings = {
  sessions: Number(process.env.BENCH_INGEST_SESSIONS ?? 100),
  chatsPerSession: Number(process.env.BENCH_INGEST_CHATS ?? 1000),
  seconds: Number(process.env.BENCH_INGEST_SECONDS ?? 20),
  latencySeconds: 10,
  /** Messages injected and not yet seen on a WebSocket: the back pressure of "as fast as it takes them". */
  window: 2000,
};

/**
 * Incoming messages through the whole gateway (simulator callback → event store → projections → NATS →
 * WebSocket), in one process, so that they can be injected without HTTP in the way. Phase one injects as fast
 * as the gateway takes them and counts a message once its frame arrived and all read models have it; phase
 * two injects at half that rate and measures injection → frame.
 */
export async function ingestBench(): Promise<BenchResult> {
  const { sessions, chatsPerSession } = settings;
  const services = await openBenchServices();
  const gateway = await startGateway(loadConfig(services.env), { subjectRoot: services.subjectRoot });
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: 2 });
  try {
    const token = benchToken();
    const ids = await connectSessions(httpCaller(gateway.url, token), sessions);
    const simulator = gateway.simulator!;
    const injectedAt = new Map<string, number>();
    const latencies: number[] = [];
    let measuring = false;
    let frameArrived: (() => void) | undefined;
    const sockets = await openFrameSockets(gateway.url.replace(/^http/, 'ws'), token, ids, (frame, at) => {
      const sentAt = injectedAt.get(frame.body);
      if (sentAt === undefined) return;
      injectedAt.delete(frame.body);
      if (measuring) latencies.push(at - sentAt);
      frameArrived?.();
    });
    let injected = 0;
    const inject = () => {
      const n = injected++;
      const session = n % sessions;
      const chat = Math.floor(n / sessions) % chatsPerSession;
      const from = `55${String(session).padStart(3, '0')}${String(chat).padStart(8, '0')}`;
      // Keyed by the text: the frame can arrive before the callback's promise settles.
      const body = `ingest ${n}`;
      injectedAt.set(body, performance.now());
      void simulator.incoming(ids[session]!, { from, body, name: `Client ${chat}` });
    };
    const allProjected = async () => {
      const { rows } = await pool.query<{ messages: string; checkpoints: string; unread: string }>(
        `select (select count(*) from "Messages") as messages,
                (select sum("Unread_Count") from "Chats") as unread,
                (select count(distinct checkpoint) from projection_checkpoints) as checkpoints`,
      );
      const row = rows[0]!;
      return Number(row.messages) === injected && Number(row.unread) === injected && row.checkpoints === '1';
    };

    const started = performance.now();
    while (performance.now() - started < settings.seconds * 1000) {
      if (injectedAt.size < settings.window) {
        inject();
        if (injected % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      } else {
        await new Promise<void>((resolve) => (frameArrived = resolve));
      }
    }
    frameArrived = undefined;
    await waitFor('every frame and every row', async () => injectedAt.size === 0 && (await allProjected()));
    const messagesPerSecond = Math.round(injected / ((performance.now() - started) / 1000));
    console.log(`  phase 1: ${injected} messages at ${messagesPerSecond}/s`);

    measuring = true;
    const rate = Math.max(1, Math.round(messagesPerSecond / 2));
    const paced = performance.now();
    const before = injected;
    while (performance.now() - paced < settings.latencySeconds * 1000) {
      const due = Math.round(((performance.now() - paced) / 1000) * rate);
      while (injected - before < due) inject();
      await sleep(5);
    }
    await waitFor('the paced messages', async () => injectedAt.size === 0 && (await allProjected()));
    sockets.close();
    const raw = await rawInsertRowsPerSecond(services.databaseUrl);
    return {
      name: 'ingest',
      sessions,
      chats: sessions * chatsPerSession,
      messagesPerSecond,
      latencyRatePerSecond: rate,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      rawInsertRowsPerSecond: raw,
      ratio: Math.round((messagesPerSecond / raw) * 1000) / 1000,
    };
  } finally {
    await pool.end();
    await gateway.stop();
    await services.dispose();
  }
}
