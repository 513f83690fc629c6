import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from './latency.js';

/**
 * The webhooks benchmark's receiver, in a process of its own so that it takes no time from the gateway's event
 * loop (a real receiver is elsewhere). Each message's text ends with the wall-clock time it was offered, so the
 * receiver measures offered → delivered and stored (`occurredAt`) → delivered itself, and reports on request.
 */
interface DeliveryBody {
  id: string;
  occurredAt: string;
  data: { body: string };
}

export interface ReceiverReport {
  deliveries: number;
  duplicates: number;
  p50Ms: number;
  p99Ms: number;
  storedToDeliveryP50Ms: number;
  storedToDeliveryP99Ms: number;
}

const offeredLatencies: number[] = [];
const storedLatencies: number[] = [];
const seen = new Set<string>();
let duplicates = 0;

const server = createServer((request, response) => {
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
      const offeredAt = Number(body.data.body.split(' ').at(-1));
      if (Number.isFinite(offeredAt)) offeredLatencies.push(at - offeredAt);
    }
    response.writeHead(204).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port });
});
process.on('message', (message) => {
  if (message !== 'report') return;
  const report: ReceiverReport = {
    deliveries: seen.size,
    duplicates,
    p50Ms: percentile(offeredLatencies, 50),
    p99Ms: percentile(offeredLatencies, 99),
    storedToDeliveryP50Ms: percentile(storedLatencies, 50),
    storedToDeliveryP99Ms: percentile(storedLatencies, 99),
  };
  process.send!({ type: 'report', report });
});
process.on('disconnect', () => process.exit(0));
