import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/**
 * What a Chromium profile can do without: caches it rebuilds by itself, crash reports and the locks of the
 * browser that wrote it. The login (cookies, Local Storage, IndexedDB) stays.
 */
const excluded = [
  'Cache',
  'Code Cache',
  'GPUCache',
  'CacheStorage',
  'ScriptCache',
  'GrShaderCache',
  'GraphiteDawnCache',
  'ShaderCache',
  'DawnCache',
  'Crashpad',
  'BrowserMetrics*',
  'component_crx_cache',
  'Singleton*',
];

export class ProfileArchiveError extends Error {
  override readonly name = 'ProfileArchiveError';

  constructor(
    readonly operation: 'archive' | 'extract',
    readonly detail: string,
  ) {
    super(`Could not ${operation} the browser profile: ${detail}`);
  }
}

/** The profile in `dir`, without its caches, as a gzip-compressed tar archive (Debian's tar). */
export function archiveProfile(dir: string): Promise<Buffer> {
  return run('archive', ['-czf', '-', ...excluded.map((name) => `--exclude=${name}`), '-C', dir, '.']);
}

/** Unpacks an archive made by `archiveProfile` into `dir`. */
export async function extractProfile(dir: string, archive: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run('extract', ['-xzf', '-', '-C', dir], archive);
}

function run(operation: 'archive' | 'extract', args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    tar.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    tar.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    tar.once('error', (error) => reject(new ProfileArchiveError(operation, error.message)));
    tar.once('close', (code) => {
      // 1: a file changed while it was read (the browser is running); the archive is still usable.
      if (code === 0 || (operation === 'archive' && code === 1)) resolve(Buffer.concat(out));
      else
        reject(
          new ProfileArchiveError(operation, Buffer.concat(err).toString().trim() || `tar exited ${code}`),
        );
    });
    tar.stdin.end(input);
  });
}
