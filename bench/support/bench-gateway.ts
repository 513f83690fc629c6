import { signToken } from '../../src/sign-token.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
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
  const services = await openBenchServices();
  const gateway = await spawnGateway(
    { ...services.env, ...env },
    { subjectRoot: services.subjectRoot },
    profileArgs(),
  );
  const token = benchToken();
  return {
    url: gateway.url,
    wsUrl: gateway.url.replace(/^http/, 'ws'),
    pid: gateway.child.pid!,
    databaseUrl: services.databaseUrl,
    token,
    call: httpCaller(gateway.url, token),
    async dispose() {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      await services.dispose();
    },
  };
}

/** A database, NATS stream and data folder for a benchmark gateway, whose rate limit stays out of the way. */
export async function openBenchServices(): Promise<GatewayServices> {
  const services = await openGatewayServices('bench', benchSecret);
  Object.assign(services.env, { RATE_LIMIT_PER_MINUTE: '100000000' });
  return services;
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
