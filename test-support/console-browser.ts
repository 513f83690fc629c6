/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
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

/** An element by role and accessible name, as assistive technology finds it (API.md, "Console"). */
export const aria = (role: string, name: string) => `::-p-aria([name="${name}"][role="${role}"])`;

/** Waits until `element`'s text contains `text`. */
export async function waitForText(page: Page, element: ElementHandle, text: string): Promise<void> {
  await page.waitForFunction((el, wanted) => el.textContent?.includes(wanted), {}, element, text);
}

/** Opens the console at `url` in English, pastes the token, signs in and waits for the sessions list. */
export async function signInToConsole(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/console/?lang=en`);
  // As a paste: typing a token key by key takes seconds.
  const field = await page.locator(aria('textbox', 'Token')).waitHandle();
  await field.evaluate((textarea, value) => {
    (textarea as HTMLTextAreaElement).value = value;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }, token);
  await page.locator(aria('button', 'Sign in')).click();
  await page.waitForSelector(aria('list', 'Sessions'));
}

/** The item of `list` whose text contains `text`. */
export async function itemWithText(list: ElementHandle, text: string): Promise<ElementHandle<HTMLLIElement>> {
  for (const item of await list.$$('li')) {
    if ((await item.evaluate((el) => el.textContent))?.includes(text)) return item;
  }
  throw new Error(`no item with ${text}`);
}
