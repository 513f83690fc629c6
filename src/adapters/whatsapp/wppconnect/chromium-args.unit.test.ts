import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Browser, LaunchOptions } from 'puppeteer';
import { chromiumArgs, omittedWppconnectArgs } from './chromium-args.js';
import { launchBrowser } from './launch-browser.js';

const require = createRequire(import.meta.url);
const { puppeteerConfig } = require('@wppconnect-team/wppconnect/dist/config/puppeteer.config.js') as {
  puppeteerConfig: { chromiumArgs: string[] };
};

describe('Chromium launch flags', () => {
  it("launches Chromium with every flag WPPConnect's own launcher uses, but those that trust any certificate", async () => {
    let launched: LaunchOptions | undefined;
    const page = {};
    await launchBrowser(
      (options) => {
        launched = options;
        return Promise.resolve({ pages: () => Promise.resolve([page]) } as unknown as Browser);
      },
      { executablePath: '/usr/bin/chromium', userDataDir: '/tmp/profile' },
    );
    const expected = puppeteerConfig.chromiumArgs.filter((arg) => !omittedWppconnectArgs.includes(arg));
    expect(launched?.args).toEqual(expect.arrayContaining(expected));
    expect(launched?.args).toContain('--disable-blink-features=AutomationControlled');
    expect(launched?.args?.filter((arg) => arg.includes('certif'))).toEqual([]);
    expect(chromiumArgs).toEqual([...new Set(chromiumArgs)]);
  });
});
