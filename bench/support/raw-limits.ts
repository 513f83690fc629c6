import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { sleep } from './latency.js';
import { runLoad, type LoadResult } from './load.js';

const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

/** Runs `measure` against a bare fastify + ws server in its own process, then stops it. */
async function withBareServer<T>(
  measure: (url: string) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('LISTENING ')) return await measure(line.slice('LISTENING '.length));
    }
    throw new Error('the bare server exited before listening');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Requests per second a bare fastify answers with a 50-message JSON body, at the benchmarks' 50 connections. */
export function rawHttpRequestsPerSecond(seconds = 5): Promise<number> {
  return withBareServer(async (url) => {
    const result = await runLoad({
      target: { url, token: 'none' },
      seconds,
      next: () => ({ method: 'GET', path: '/payload' }),
      accept: (status) => status === 200,
    });
    return result.requestsPerSecond;
  });
}

/**
 * Requests per second a bare fastify answers with a chat's last 50 messages read from the gateway's database
 * (the same table and indexes) by one prepared query: the limit of the read endpoint on this machine.
 */
export function rawQueryRequestsPerSecond(
  databaseUrl: string,
  pages: () => { session: string; chat: string },
  seconds = 10,
): Promise<number> {
  return withBareServer(
    async (url) => {
      const result = await runLoad({
        target: { url, token: 'none' },
        seconds,
        next: () => {
          const { session, chat } = pages();
          return { method: 'GET', path: `/messages?session=${session}&chat=${encodeURIComponent(chat)}` };
        },
        accept: (status) => status === 200,
      });
      return result.requestsPerSecond;
    },
    { DATABASE_URL: databaseUrl },
  );
}

/** An HTTP load result with what a bare fastify does in the same conditions, and the ratio between them. */
export async function besideBareHttp(result: LoadResult) {
  const raw = await rawHttpRequestsPerSecond();
  return {
    ...result,
    rawHttpRequestsPerSecond: raw,
    ratio: Math.round((result.requestsPerSecond / raw) * 1000) / 1000,
  };
}

/** Frames per second a bare ws server gets to `clients` subscribers (all in this process). */
export function rawFramesPerSecond(clients: number, framesEach = 100): Promise<number> {
  return withBareServer(async (url) => {
    let received = 0;
    const sockets = await Promise.all(
      Array.from(
        { length: clients },
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
            ws.on('message', () => received++);
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    const started = performance.now();
    await fetch(`${url}/blast?frames=${framesEach}`, { method: 'POST' });
    const expected = clients * framesEach;
    while (received < expected && performance.now() - started < 60_000) await sleep(5);
    const rate = Math.round(received / ((performance.now() - started) / 1000));
    for (const ws of sockets) ws.terminate();
    return rate;
  });
}
