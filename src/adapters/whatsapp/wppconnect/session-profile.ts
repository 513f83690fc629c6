import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Each session keeps its WhatsApp login in its own Chromium profile, `<dataDir>/sessions/<sessionId>`;
 * launching with the same profile restores the login without a QR code.
 */
export function profileDir(dataDir: string, sessionId: string): string {
  // The session id becomes a folder name: nothing in it may climb out of the sessions folder.
  const safe = sessionId.replace(/[^A-Za-z0-9_-]/g, (char) => `%${char.charCodeAt(0).toString(16)}`);
  return join(dataDir, 'sessions', safe);
}

export async function profileHasContent(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export async function removeProfile(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
