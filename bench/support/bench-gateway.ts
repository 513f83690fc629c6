import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../src/sign-token.js';
import { deleteTestStream, testNatsUrl } from '../../test-support/nats.js';
import { createTestDatabase } from '../../test-support/postgres.js';
import { spawnGateway } from '../../test-support/spawn-gateway.js';

export const benchSecret = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
export const benchCompany = 'bench';

export type Call = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface BenchGateway {
  url: string;
  wsUrl: string;
  pid: number;
  databaseUrl: string;
  /** An ADMIN token of the bench company. */
  token: string;
  call: Call;
  dispose(): Promise<void>;
}

/** The gateway in its own process (so it has a core to itself), on a new database and NATS stream. */
export async function spawnBenchGateway(env: Record<string, string> = {}): Promise<BenchGateway> {
  const database = await createTestDatabase('bench');
  const natsUrl = await testNatsUrl();
  const stream = `ZL_BENCH_${randomBytes(4).toString('hex').toUpperCase()}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-bench-'));
  const gateway = await spawnGateway(
    {
      ...benchEnvironment(dataDir),
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      NATS_STREAM: stream,
      ...env,
    },
    { subjectRoot: `bench${randomBytes(3).toString('hex')}` },
    profileArgs(),
  );
  const token = benchToken();
  return {
    url: gateway.url,
    wsUrl: gateway.url.replace(/^http/, 'ws'),
    pid: gateway.child.pid!,
    databaseUrl: database.url,
    token,
    call: httpCaller(gateway.url, token),
    async dispose() {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      await deleteTestStream(natsUrl, stream);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Settings every benchmark gateway shares: simulator, silent logs, no rate limit in the way. */
export function benchEnvironment(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    WA_DRIVER: 'simulator',
    JWT_SECRET: benchSecret,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
}

export function benchToken(): string {
  return signToken(benchSecret, { companyId: benchCompany, role: 'ADMIN', sub: 'bench', ttl: '2h' });
}

export function httpCaller(url: string, token: string): Call {
  return (method, path, body) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
    }));
}

/** With BENCH_PROFILE_DIR set, the gateway process writes a CPU profile there when it stops. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
