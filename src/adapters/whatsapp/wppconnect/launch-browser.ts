import type { Browser, LaunchOptions, Page } from 'puppeteer';
import { chromiumArgs } from './chromium-args.js';
import { closeBrowser } from './close-browser.js';

/** Starts a browser; puppeteer's `launch` in production, a fake in unit tests. */
export type LaunchBrowser = (options: LaunchOptions) => Promise<Browser>;

export const launchWithPuppeteer: LaunchBrowser = async (options) => {
  const { launch } = await import('puppeteer');
  return launch(options);
};

/**
 * Launches headless Chromium on the session's profile and opens the page WhatsApp Web will run in. The
 * gateway, not WPPConnect, launches the browser, so that it always holds what it has to close.
 */
export async function launchBrowser(
  launch: LaunchBrowser,
  options: { executablePath: string; userDataDir: string },
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launch({
    executablePath: options.executablePath,
    headless: true,
    userDataDir: options.userDataDir,
    args: chromiumArgs,
    // Shutting down on a signal is the gateway's business: it closes its sessions in order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    return { browser, page };
  } catch (error) {
    await closeBrowser(browser, null);
    throw error;
  }
}
