import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The HS256 secret used when neither JWT_SECRET nor JWT_PUBLIC_KEY is configured: generated on the first start
 * and kept under DATA_DIR (readable by its owner only), so tokens stay valid across restarts.
 */
export async function loadOrCreateJwtSecret(dataDir: string): Promise<{ secret: string; created: boolean }> {
  const file = join(dataDir, 'jwt-secret');
  try {
    return { secret: (await readFile(file, 'utf8')).trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, created: true };
}
