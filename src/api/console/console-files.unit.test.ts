import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheControlOf, consoleFilePath, contentTypeOf } from './console-files.js';

const root = resolve('/srv/console');

describe('console files', () => {
  it('finds a file under the console folder', () => {
    expect(consoleFilePath(root, 'assets/index-AbC123xy.js')).toBe(join(root, 'assets', 'index-AbC123xy.js'));
  });

  it.each([
    '../package.json',
    'assets/../../secret',
    '..',
    'a\\..\\..\\b',
    '%2e%2e/x',
    '.env',
    'assets/.hidden',
    'index.html\0.js',
  ])('refuses a path that could leave the folder or reach a hidden file: %j', (path) => {
    expect(consoleFilePath(root, path)).toBeUndefined();
  });

  it('refuses the folder itself', () => {
    expect(consoleFilePath(root, '')).toBeUndefined();
  });

  it('serves scripts, styles and pages with their media types, and nothing it does not know', () => {
    expect(contentTypeOf('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('/x/a.map')).toBeUndefined();
    expect(contentTypeOf('/x/Makefile')).toBeUndefined();
  });

  it('caches hashed assets for good and checks the page on every load', () => {
    expect(cacheControlOf('assets/index-Dk3fA9_b.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.svg')).toBe('no-cache');
  });
});
