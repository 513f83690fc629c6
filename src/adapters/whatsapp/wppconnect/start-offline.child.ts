/**
 * Run by wppconnect-driver.int.test.ts in a process of its own: starts a session against real Chromium with
 * WhatsApp Web unreachable and prints what happened as one JSON line. It never calls process.exit: the test
 * requires it to end by itself, which it cannot while a timer or a browser is left behind.
 */
import { execFileSync } from 'node:child_process';
import { silentLogger } from '../../../logger.js';
import { createWppconnectDriver } from './wppconnect-driver.js';

const [dataDir, chromiumPath, startTimeoutMs] = process.argv.slice(2);
if (!dataDir || !chromiumPath || !startTimeoutMs)
  throw new Error('usage: start-offline.child.ts <dataDir> <chromium> <ms>');

const driver = createWppconnectDriver({
  dataDir,
  chromiumPath,
  startTimeoutMs: Number(startTimeoutMs),
  resolveHost: () => Promise.resolve(),
  logger: silentLogger,
});
const startedAt = Date.now();
const outcome = await driver
  .start({
    sessionId: 'offline',
    callbacks: {
      onQrCode: () => undefined,
      onStatus: () => undefined,
      onMessage: () => undefined,
      onAck: () => undefined,
      onRevoked: () => undefined,
    },
  })
  .then(
    () => ({ started: true, error: null }),
    (error: unknown) => ({
      started: false,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    }),
  );
const chromiumLeft = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
  .split('\n')
  .filter((line) => line.includes(`--user-data-dir=${dataDir}`));
await driver.close();
process.stdout.write(`${JSON.stringify({ ...outcome, elapsedMs: Date.now() - startedAt, chromiumLeft })}\n`);
