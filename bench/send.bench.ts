import { spawnBenchGateway } from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { runLoad } from './support/load.js';
import { besideBareHttp } from './support/raw-limits.js';

const sessions = Number(process.env.BENCH_SEND_SESSIONS ?? 100);

/** Text sends to 100 connected sessions, pacing off, 50 connections for 10 s; a 200 with a WhatsApp id counts. */
export async function sendBench(): Promise<BenchResult> {
  const gateway = await spawnBenchGateway({ SEND_RATE_PER_SESSION: '0' });
  try {
    const ids = await connectSessions(gateway.call, sessions);
    let turn = 0;
    const result = await runLoad({
      target: gateway,
      next: () => {
        const n = turn++;
        return {
          method: 'POST',
          path: '/whatsapp/messages/send',
          body: {
            sessionId: ids[n % sessions],
            to: `5511966${String(Math.floor(n / sessions) % 500).padStart(6, '0')}`,
            message: `Olá! Pedido ${n} confirmado.`,
          },
        };
      },
      accept: (status, body) => status === 200 && /"result":\{"id":"[^"]+"/.test(body),
    });
    return { name: 'send', sessions, ...(await besideBareHttp(result)) };
  } finally {
    await gateway.dispose();
  }
}
