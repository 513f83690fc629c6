import { execFileSync, spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverStartError, type DriverCallbacks } from '../port.js';
import { createWppconnectDriver } from './wppconnect-driver.js';

const chromium = '/usr/bin/chromium';
const hasChromium = await access(chromium).then(
  () => true,
  () => false,
);
const whatsAppResolves = await lookup('web.whatsapp.com').then(
  () => true,
  () => false,
);
const callbacks: DriverCallbacks = {
  onQrCode: () => undefined,
  onStatus: () => undefined,
  onMessage: () => undefined,
  onAck: () => undefined,
  onRevoked: () => undefined,
};

/** The browsers running on a profile under `dir`. */
function chromiumUsing(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`--user-data-dir=${dir}`));
}

describe('WPPConnect driver against real Chromium, with WhatsApp Web unreachable', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-wpp-int-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it.skipIf(whatsAppResolves)(
    'fails within seconds, naming web.whatsapp.com, and launches no browser (skipped where it resolves)',
    async () => {
      const driver = createWppconnectDriver({ dataDir, chromiumPath: hasChromium ? chromium : undefined });
      const startedAt = Date.now();
      const error: unknown = await driver.start({ sessionId: 'dns', callbacks }).catch((e: unknown) => e);
      expect(Date.now() - startedAt).toBeLessThan(3000);
      expect(error).toBeInstanceOf(DriverStartError);
      expect((error as DriverStartError).reason).toMatch(
        /^WhatsApp Web \(web\.whatsapp\.com\) is unreachable: /,
      );
      expect((error as DriverStartError).retryable).toBe(true);
      expect(chromiumUsing(dataDir)).toEqual([]);
      expect(await driver.hasSavedLogin('dns')).toBe(false);
      await driver.close();
    },
  );

  it.skipIf(!hasChromium)(
    'closes every Chromium it launched and leaves no timer behind when WhatsApp Web fails to load (needs /usr/bin/chromium)',
    async () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./start-offline.child.ts', import.meta.url)),
          dataDir,
          chromium,
          '8000',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let printedAt = 0;
      child.stdout.on('data', () => (printedAt ||= Date.now()));
      const exitCode = await new Promise<number | null>((resolve) => {
        const deadline = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 25_000);
        child.on('exit', (code) => {
          clearTimeout(deadline);
          resolve(code);
        });
      });
      const exitedAfterMs = Date.now() - printedAt;
      expect(exitCode, `the child did not exit by itself; stderr: ${stderr}`).toBe(0);
      const result = JSON.parse(stdout) as {
        started: boolean;
        error: { name: string; message: string } | null;
        elapsedMs: number;
        chromiumLeft: string[];
      };
      expect(result.started).toBe(false);
      expect(result.error?.name).toBe('DriverStartError');
      expect(result.error?.message).toMatch(/WhatsApp Web (could not be loaded|did not load)/);
      expect(result.elapsedMs).toBeLessThan(12_000);
      expect(result.chromiumLeft).toEqual([]);
      expect(exitedAfterMs).toBeLessThan(5000);
      expect(chromiumUsing(dataDir)).toEqual([]);
    },
    30_000,
  );
});
