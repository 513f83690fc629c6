import { access, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeBrowser } from './close-browser.js';
import { launchBrowser, launchWithPuppeteer } from './launch-browser.js';
import { clearStaleProfileLock } from './profile-lock.js';

const chromium = '/usr/bin/chromium';
const hasChromium = await access(chromium).then(
  () => true,
  () => false,
);

describe('a profile left locked by a Chromium of another container (needs /usr/bin/chromium)', () => {
  let profile: string;
  beforeEach(async () => {
    profile = await mkdtemp(join(tmpdir(), 'zapledger-lock-int-'));
    await symlink('4f1c2a9b7d3e-57', join(profile, 'SingletonLock'));
  });
  afterEach(() => rm(profile, { recursive: true, force: true }));

  it.skipIf(!hasChromium)(
    'is refused by Chromium as it is, and starts once the stale lock is cleared',
    async () => {
      const options = { executablePath: chromium, userDataDir: profile };
      await expect(launchBrowser(launchWithPuppeteer, options)).rejects.toThrow();
      expect(await clearStaleProfileLock(profile)).toBe(true);
      const { browser, page } = await launchBrowser(launchWithPuppeteer, options);
      expect(browser.connected).toBe(true);
      await closeBrowser(browser, page);
    },
    60_000,
  );
});
