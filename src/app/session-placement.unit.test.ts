import { describe, expect, it } from 'vitest';
import { createLocalSessionLeases } from './session-leases.js';
import { createSessionPlacement } from './session-placement.js';

describe('where sessions run', () => {
  it('does not claim a session whose stop was recorded while the sessions to run were read', async () => {
    const leases = createLocalSessionLeases();
    let stopRecorded = false;
    const placement = createSessionPlacement({
      leases,
      owner: 'gateway-a',
      heartbeatIntervalMs: 1000,
      rebalanceStep: 2,
      sessionsToRestore: () => {
        // The stop lands right after this read.
        const read = [
          { sessionId: 'kept', companyId: 'acme' },
          { sessionId: 'stopped', companyId: 'acme' },
        ];
        stopRecorded = true;
        return Promise.resolve(read);
      },
      askedToStop: (ids) => Promise.resolve(stopRecorded ? ids.filter((id) => id === 'stopped') : []),
    });
    expect(await placement.claimFree(new Set())).toEqual([{ sessionId: 'kept', companyId: 'acme' }]);
    expect(await leases.isHeld('stopped')).toBe(false);
    expect(await leases.isHeld('kept')).toBe(true);
  });
});
