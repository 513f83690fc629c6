import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GatewayOptions } from '../src/gateway.js';

const script = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/** A gateway in a child process (so that a test may kill it), configured by `env`; resolves once it listens. */
export async function spawnGateway(
  env: Record<string, string>,
  options: GatewayOptions = {},
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    env: { ...process.env, ...env, GATEWAY_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('LISTENING ')) {
      // Whatever the gateway logs afterwards goes on to this process's output, and never fills the pipe.
      child.stdout.pipe(process.stdout);
      return { child, url: line.slice('LISTENING '.length), exited };
    }
  }
  throw new Error('the gateway exited before listening');
}
