import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer';
import { closeBrowser } from './close-browser.js';
import { endProcessGroup } from './process-group.js';

/** The live processes of a process group, as ps sees them (zombies excluded). */
const members = (pgid: number) =>
  execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'));

describe('ending a process group', () => {
  it('waits until the helpers that outlived the group leader are gone, as Chromium zygotes can', async () => {
    // A leader that exits at once, leaving a helper of its group behind, as a browser process can.
    const leader = spawn('sh', ['-c', 'sleep 30 & exit 0'], { detached: true, stdio: 'ignore' });
    await once(leader, 'exit');
    const pgid = leader.pid!;
    expect(members(pgid)).toHaveLength(1);
    await endProcessGroup(leader, 5000);
    expect(members(pgid)).toEqual([]);
  });

  it('returns at once for a group already gone', async () => {
    const leader = spawn('true', [], { detached: true, stdio: 'ignore' });
    await once(leader, 'exit');
    const startedAt = Date.now();
    await endProcessGroup(leader, 5000);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('lets closeBrowser resolve only once no process of the browser is left', async () => {
    const leader = spawn('sh', ['-c', 'sleep 30 & exit 0'], { detached: true, stdio: 'ignore' });
    await once(leader, 'exit');
    const browser = { connected: false, process: () => leader } as unknown as Browser;
    await closeBrowser(browser, null);
    expect(members(leader.pid!)).toEqual([]);
  });
});
