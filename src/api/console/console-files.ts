import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The media type a console file is served with; `undefined` for a kind of file the console never ships. */
export function contentTypeOf(path: string): string | undefined {
  return contentTypes[extname(path).toLowerCase()];
}

/**
 * The file under `root` that a request path names, or `undefined` when it could leave `root` (`..`, backslashes,
 * NUL, a `%` left after the router decoded the path once) or names a hidden file. `requested` is the decoded path
 * after `/console/`.
 */
export function consoleFilePath(root: string, requested: string): string | undefined {
  if (/[\0\\%]/.test(requested)) return undefined;
  const parts = requested.split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '..' || part.startsWith('.'))) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...parts);
  return file.startsWith(base + sep) ? file : undefined;
}

/**
 * Vite's output names every asset after a hash of its content (`assets/index-3f9a1c.js`): such a file never
 * changes under its name and may be cached for good; anything else (index.html) is checked on every load.
 */
export function cacheControlOf(requested: string): string {
  return /^assets\/[\w.-]+-[\w-]{8,}\.\w+$/.test(requested)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

/** `dist/console` of the package this module belongs to (from `src/` in development, `dist/src/` when built). */
export function builtConsoleDir(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return join(folder, 'dist', 'console');
}
