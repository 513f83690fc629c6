import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReceiverReport } from './webhook-receiver-process.js';

const script = fileURLToPath(new URL('./webhook-receiver-process.ts', import.meta.url));

export interface WebhookReceiver {
  url: string;
  /** How many deliveries arrived so far, their latencies and duplicates. */
  report(): Promise<ReceiverReport>;
  close(): Promise<void>;
}

/** Starts the webhooks benchmark's receiver in a child process (webhook-receiver-process.ts). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const child: ChildProcess = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  const { port } = await next<{ port: number }>('listening');
  return {
    url: `http://127.0.0.1:${port}`,
    async report() {
      const reply = next<{ report: ReceiverReport }>('report');
      child.send('report');
      return (await reply).report;
    },
    async close() {
      child.disconnect();
      await exited;
    },
  };
}
