import { describe, expect, it } from 'vitest';
import { deadOwnersOnThisHost, leaseOwnerId } from './lease-owner.js';

describe('lease owners', () => {
  const me = 'gw-1:1:aaaa1111';
  const running = new Set([1, 4242]);
  const dead = (owners: string[]) => deadOwnersOnThisHost(owners, me, (pid) => running.has(pid));

  it('reclaims an earlier process of this host whose process is gone', () =>
    expect(dead(['gw-1:777:bbbb2222'])).toEqual(['gw-1:777:bbbb2222']));
  it('reclaims an earlier run under this very process id (a container restarted as pid 1)', () =>
    expect(dead(['gw-1:1:cccc3333'])).toEqual(['gw-1:1:cccc3333']));
  it('leaves a live process of this host alone, and itself', () =>
    expect(dead(['gw-1:4242:dddd4444', me])).toEqual([]));
  it('leaves other hosts alone, dead or not', () => expect(dead(['gw-2:777:eeee5555'])).toEqual([]));
  it('names itself by host, process id and a random part', () =>
    expect(leaseOwnerId('gw-9', 12)).toMatch(/^gw-9:12:[0-9a-f]{8}$/));
});
