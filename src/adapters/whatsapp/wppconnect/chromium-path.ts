import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

const names = ['chromium', 'chromium-browser'];
const wellKnown = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium to launch: the configured path if it is executable, otherwise the first `chromium` found on PATH
 * or in /usr/bin; null when there is none.
 */
export async function findChromium(
  configured: string | undefined,
  searchPath = process.env['PATH'] ?? '',
): Promise<string | null> {
  if (configured !== undefined) return (await isExecutable(configured)) ? configured : null;
  const onPath = searchPath
    .split(delimiter)
    .filter((dir) => dir !== '')
    .flatMap((dir) => names.map((name) => join(dir, name)));
  for (const candidate of [...onPath, ...wellKnown]) {
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}
