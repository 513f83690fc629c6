import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Which sessions the simulated phones have linked: the simulator's "saved login", kept across restarts. */
export interface LoginStore {
  has(sessionId: string): boolean;
  save(sessionId: string, waId: string): Promise<void>;
  waIdOf(sessionId: string): string | undefined;
  remove(sessionId: string): Promise<void>;
}

export function createMemoryLoginStore(): LoginStore {
  const logins = new Map<string, string>();
  return {
    has: (sessionId) => logins.has(sessionId),
    waIdOf: (sessionId) => logins.get(sessionId),
    save: (sessionId, waId) => Promise.resolve(void logins.set(sessionId, waId)),
    remove: (sessionId) => Promise.resolve(void logins.delete(sessionId)),
  };
}

/** Logins in a JSON file, rewritten atomically (temporary file, then rename) on each change. */
export async function openFileLoginStore(file: string): Promise<LoginStore> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}';
    throw error;
  });
  const logins = new Map(Object.entries(JSON.parse(text) as Record<string, string>));
  let writing = Promise.resolve();
  const persist = () => {
    writing = writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(Object.fromEntries(logins)));
      await rename(`${file}.tmp`, file);
    });
    return writing;
  };
  return {
    has: (sessionId) => logins.has(sessionId),
    waIdOf: (sessionId) => logins.get(sessionId),
    save: (sessionId, waId) => (logins.set(sessionId, waId), persist()),
    remove: (sessionId) => (logins.delete(sessionId), persist()),
  };
}
