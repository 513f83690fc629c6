/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

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

/** Closes Chromium; one that has not closed within 10 s is killed, so that a hung browser never holds a suite. */
export async function closeChromium(browser: Browser): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = browser.close().then(
    () => true,
    () => false,
  );
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
  const done = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (!done) browser.process()?.kill('SIGKILL');
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

/**
 * Opens the console at `url` in English, pastes the token and presses Sign in, without waiting for what the
 * gateway answers; a function makes the token once the page is there (a short-lived token's time starts then).
 */
export async function submitConsoleToken(
  page: Page,
  url: string,
  token: string | (() => string),
): Promise<void> {
  await page.goto(`${url}/console/?lang=en`);
  // As a paste: typing a token key by key takes seconds.
  const field = await page.locator(aria('textbox', 'Token')).waitHandle();
  await field.evaluate(
    (textarea, value) => {
      (textarea as HTMLTextAreaElement).value = value;
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    },
    typeof token === 'string' ? token : token(),
  );
  await page.locator(aria('button', 'Sign in')).click();
}

/** Opens the console at `url` in English, pastes the token, signs in and waits for the sessions list. */
export async function signInToConsole(
  page: Page,
  url: string,
  token: string | (() => string),
): Promise<void> {
  await submitConsoleToken(page, url, token);
  await page.waitForSelector(aria('list', 'Sessions'));
}

/** The item of `list` whose text contains `text`. */
export async function itemWithText(list: ElementHandle, text: string): Promise<ElementHandle<HTMLLIElement>> {
  for (const item of await list.$$('li')) {
    if ((await item.evaluate((el) => el.textContent))?.includes(text)) return item;
  }
  throw new Error(`no item with ${text}`);
}

/** What every browser test of the console shares, ready inside its tests (see `useConsoleBrowser`). */
export interface ConsoleBrowser {
  /** The console built for this file's tests. */
  readonly consoleDir: string;
  readonly browser: Browser;
  /**
   * A page as `openPage` gives; when a test fails, the last page it opened this way is its screenshot. A page
   * opened with `openPage(browser, …)` is not.
   */
  openPage(languages: string[], width?: number): Promise<Page>;
}

/**
 * Registers the hooks of a console browser spec: before its tests, builds the console and launches Chromium,
 * with `alongside` (given the console folder) started at the same time; after them, closes Chromium, then runs
 * `afterBrowser` (stopping what served the console), and removes the console; and a failing test leaves a screenshot (`screenshotOnFailure`). Call it inside `describe`;
 * hooks the spec registers after it run after these before the tests and before these after them.
 */
export function useConsoleBrowser(
  alongside?: (consoleDir: string) => Promise<void>,
  afterBrowser?: () => Promise<void>,
): ConsoleBrowser {
  let consoleDir: string | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    consoleDir = await buildConsole();
    [browser] = await Promise.all([launchChromium(), alongside?.(consoleDir)]);
  });
  // Longer than the default hook timeout: a gateway's graceful stop under a loaded suite is slow at times.
  afterAll(async () => {
    if (browser) await closeChromium(browser);
    // What serves the console stops once no page holds a connection to it.
    await afterBrowser?.();
    if (consoleDir) await rm(consoleDir, { recursive: true, force: true });
  }, 150_000);
  beforeEach(({ task, onTestFailed }) => {
    page = undefined;
    onTestFailed(() => screenshotOnFailure(page, task.name));
  });
  return {
    get consoleDir() {
      return ready(consoleDir, 'the console');
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    async openPage(languages, width) {
      page = await openPage(ready(browser, 'Chromium'), languages, width);
      return page;
    },
  };
}

/** `useConsoleBrowser` with a gateway on PostgreSQL and NATS that serves the console, started with `env`. */
export function useConsoleGateway(
  env: Record<string, string> = {},
): ConsoleBrowser & { readonly api: TestGateway } {
  let api: TestGateway | undefined;
  const shared = useConsoleBrowser(
    async (consoleDir) => {
      api = await startTestGateway('postgres+nats', env, { consoleDir });
    },
    async () => {
      await api?.dispose();
    },
  );
  return {
    get consoleDir() {
      return shared.consoleDir;
    },
    get browser() {
      return shared.browser;
    },
    openPage: (languages, width) => shared.openPage(languages, width),
    get api() {
      return ready(api, 'the gateway');
    },
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`${what} is not started yet: use it inside a test or a later hook`);
  return value;
}
