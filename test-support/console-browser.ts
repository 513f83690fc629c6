/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build } from 'vite';

/** Builds the web console (console/) into a fresh folder, as `npm run build:console` does into dist/console. */
export async function buildConsole(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'zapledger-console-'));
  await build({
    configFile: join(import.meta.dirname, '..', 'console', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Debian's Chromium (CI installs it), headless; CHROMIUM_PATH points elsewhere. */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Root in CI containers cannot use Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A page whose browser prefers `languages` (navigator.languages), `width` pixels wide. */
export async function openPage(browser: Browser, languages: string[], width = 1280): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewport({ width, height: 800 });
  await page.evaluateOnNewDocument((preferred: string[]) => {
    Object.defineProperty(navigator, 'languages', { get: () => preferred });
    Object.defineProperty(navigator, 'language', { get: () => preferred[0] });
  }, languages);
  return page;
}

/** Where a failing browser test leaves its screenshot (git ignores it). */
export async function screenshotOnFailure(page: Page | undefined, testName: string): Promise<void> {
  if (!page || page.isClosed()) return;
  const folder = join(import.meta.dirname, '..', 'test-results');
  await mkdir(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${testName.replace(/\W+/g, '-')}.png`), fullPage: true });
}
