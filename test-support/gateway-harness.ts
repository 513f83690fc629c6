import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Role } from '../src/api/auth/claims.js';
import { loadConfig } from '../src/config.js';
import { startGateway, type Gateway, type GatewayOptions } from '../src/gateway.js';
import { signToken } from '../src/sign-token.js';
import { eventually } from './eventually.js';
import { openGatewayServices, simulatorGatewayEnvironment } from './gateway-services.js';

export type Wiring = 'postgres+nats' | 'pglite+memory';
export const jwtSecret = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  wsUrl: string;
  /** The PostgreSQL database of the postgres+nats wiring, for tests that change what a gateway cannot. */
  databaseUrl: string | undefined;
  token(companyId: string, role: Role, ttl?: string): string;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Record<string, unknown> & unknown[] }>;
  dispose(): Promise<void>;
}

/** The whole gateway on a free port, with the simulator driver, wired to real PostgreSQL and NATS or embedded. */
export async function startTestGateway(
  wiring: Wiring,
  env: Record<string, string> = {},
  options: GatewayOptions = {},
): Promise<TestGateway> {
  const cleanups: (() => Promise<void>)[] = [];
  let settings: Record<string, string>;
  let subjectRoot = 'wa';
  let databaseUrl: string | undefined;
  if (wiring === 'postgres+nats') {
    const services = await openGatewayServices('e2e', jwtSecret);
    cleanups.push(() => services.dispose());
    settings = services.env;
    subjectRoot = services.subjectRoot;
    databaseUrl = services.databaseUrl;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-e2e-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    settings = simulatorGatewayEnvironment(dataDir, jwtSecret);
  }
  Object.assign(settings, { SIMULATOR_ACK_DELAYS_MS: '20,40,60', ...env });
  const gateway = await startGateway(loadConfig(settings), { ...options, subjectRoot });
  const url = gateway.url;
  return {
    gateway,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    databaseUrl,
    token: (companyId, role, ttl = '1h') =>
      signToken(jwtSecret, { companyId, role, sub: `${role.toLowerCase()}-of-${companyId}`, ttl }),
    async call(method, path, options = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined
          ? {}
          : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & unknown[],
      };
    },
    async dispose() {
      await gateway.stop();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

/** A WebSocket client that keeps every frame it receives and can wait for one. */
export async function openSocket(url: string, protocols?: string[]) {
  const socket = new WebSocket(url, protocols);
  const frames: { type: string; data: Record<string, unknown> }[] = [];
  socket.on('message', (raw: Buffer) =>
    frames.push(JSON.parse(raw.toString()) as { type: string; data: Record<string, unknown> }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    next: (
      predicate: (frame: { type: string; data: Record<string, unknown> }) => boolean,
      timeoutMs = 10_000,
    ) => eventually(() => frames.find(predicate), timeoutMs),
    close: () => new Promise<void>((resolve) => (socket.once('close', () => resolve()), socket.close())),
  };
}
