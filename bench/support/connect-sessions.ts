import { boundedParallel } from '../../src/app/supervisor-timing.js';
import type { Call } from './bench-gateway.js';

export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}

/** Registers `count` sessions, starts them and scans their QR codes; resolves once all are connected. */
export async function connectSessions(call: Call, count: number, timeoutMs = 300_000): Promise<string[]> {
  const ids: string[] = [];
  await boundedParallel(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const created = await call('POST', '/sessions', { Session_Name: `Bench ${i}` });
      if (created.status !== 201) throw new BenchSetupError(`POST /sessions: ${JSON.stringify(created)}`);
      const id = created.body.Id as string;
      await call('POST', `/whatsapp/sessions/${id}/start`);
      await call('POST', `/simulator/sessions/${id}/scan`);
      ids.push(id);
    },
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = (await call('GET', '/whatsapp/stats')).body;
    if (stats.connected === count) return ids;
    if (Date.now() > deadline)
      throw new BenchSetupError(`only ${String(stats.connected)} of ${count} connected`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
