import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** How the receiver answers the n-th request (1-based) to a path. */
export type Answer = 'ok' | 'fail' | 'hang' | 'redirect' | 'huge';

/**
 * A real HTTP server on a loopback port that keeps every webhook request it gets and answers each path as told
 * (by default 204). `hang` never answers; `huge` answers 200 with 10 MB.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const answers = new Map<string, (n: number) => Answer>();
  const counts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  /** The 10 MB replies sent, and whether the client read each to its end. */
  const huge: { complete: boolean }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        receivedAt: Date.now(),
      });
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      answer(response, answers.get(path)?.(n) ?? 'ok');
    });
  });
  function answer(response: ServerResponse, kind: Answer): void {
    if (kind === 'ok') response.writeHead(204).end();
    else if (kind === 'fail') response.writeHead(503).end('down');
    else if (kind === 'redirect') response.writeHead(302, { location: '/elsewhere' }).end();
    else if (kind === 'huge') sendHuge(response);
    else hanging.add(response);
  }
  /** 10 MB in 64 KB chunks, as fast as the client reads them; notes whether all of it was read. */
  function sendHuge(response: ServerResponse): void {
    const chunk = Buffer.alloc(64 * 1024, 1);
    let left = 160;
    response.writeHead(200, { 'content-length': chunk.length * left });
    response.on('close', () => huge.push({ complete: response.writableFinished }));
    const write = () => {
      while (left > 0 && !response.destroyed) {
        left--;
        if (left === 0) return void response.end(chunk);
        if (!response.write(chunk)) return void response.once('drain', write);
      }
    };
    write();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    huge,
    at: (path: string) => received.filter((request) => request.path === path),
    answer(path: string, how: (n: number) => Answer): void {
      answers.set(path, how);
    },
    async close(): Promise<void> {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
