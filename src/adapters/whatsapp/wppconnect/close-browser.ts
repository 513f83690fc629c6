import type { Browser, Page, PageEvent } from 'puppeteer';
import { endProcessGroup } from './process-group.js';
import { withTimeout, TimedOutError } from './with-timeout.js';

const pageCloseMs = 3000;
const browserCloseMs = 5000;
const processExitMs = 5000;

/**
 * Closes the page and the browser, whatever state they are in, kills Chromium if it does not go quietly, and
 * resolves once none of its processes is left. Safe to call more than once.
 */
export async function closeBrowser(browser: Browser, page: Page | null): Promise<void> {
  if (page && !page.isClosed()) await settle(page.close(), pageCloseMs, 'closing the page');
  if (browser.connected) await settle(browser.close(), browserCloseMs, 'closing the browser');
  await endProcessGroup(browser.process(), processExitMs);
  // WPPConnect clears its polling intervals only when the page emits `close`; a page whose browser died
  // never does, and those intervals would keep the process alive.
  if (page && !page.isClosed()) page.emit('close' as PageEvent.Close, undefined);
}

async function settle(promise: Promise<unknown>, ms: number, operation: string): Promise<void> {
  await withTimeout(promise, ms, () => new TimedOutError(operation, ms)).catch(() => undefined);
}
