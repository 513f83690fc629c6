import pg from 'pg';
import { boundedParallel } from '../src/app/supervisor-timing.js';
import { spawnBenchGateway } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { waitFor } from './support/latency.js';
import { runLoad } from './support/load.js';
import { besideBareHttp, rawQueryRequestsPerSecond } from './support/raw-limits.js';

const chats = 20;
const messages = Number(process.env.BENCH_READ_MESSAGES ?? 10_000);

/** The last 50 messages of a chat, over 20 chats holding 10,000 messages, from 50 connections for 10 s. */
export async function readBench(): Promise<BenchResult> {
  const gateway = await spawnBenchGateway();
  const pool = new pg.Pool({ connectionString: gateway.databaseUrl, max: 1 });
  try {
    const [sessionId] = await connectSessions(gateway.call, 1);
    const numbers = Array.from({ length: chats }, (_, i) => `5511977${String(i).padStart(6, '0')}`);
    await boundedParallel(
      Array.from({ length: messages }, (_, i) => i),
      32,
      async (i) => {
        const from = numbers[i % chats]!;
        const reply = await gateway.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
          from,
          body: `message ${i} from ${from}`,
        });
        if (reply.status !== 202) throw new Error(`incoming: ${JSON.stringify(reply)}`);
      },
    );
    await waitFor('the messages to be projected', async () => {
      const { rows } = await pool.query<{ count: string }>('select count(*) from "Messages"');
      return Number(rows[0]!.count) === messages;
    });
    // A full page, unless a smaller BENCH_READ_MESSAGES leaves fewer in a chat.
    const perPage = Math.min(50, Math.floor(messages / chats));
    let turn = 0;
    const result = await runLoad({
      target: gateway,
      next: () => ({
        method: 'GET',
        path: `/whatsapp/sessions/${sessionId}/chats/${numbers[turn++ % chats]}@c.us/messages?limit=50`,
      }),
      accept: (status, body) => status === 200 && body.includes(`"total":${perPage}`),
    });
    let rawTurn = 0;
    const rawQuery = await rawQueryRequestsPerSecond(gateway.databaseUrl, () => ({
      session: sessionId!,
      chat: `${numbers[rawTurn++ % chats]}@c.us`,
    }));
    return {
      name: 'read',
      messages,
      chats,
      ...(await besideBareHttp(result)),
      rawQueryRequestsPerSecond: rawQuery,
      ratioToRawQuery: Math.round((result.requestsPerSecond / rawQuery) * 1000) / 1000,
    };
  } finally {
    await pool.end();
    await gateway.dispose();
  }
}
