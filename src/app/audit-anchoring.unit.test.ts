import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { silentLogger } from '../logger.js';
import { createAnchoring } from './audit-anchoring.js';

describe('anchoring on an interval', () => {
  it('anchors every interval while started, once more when stopped, and goes on after a failure', async () => {
    let calls = 0;
    const anchoring = createAnchoring({
      anchor: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('database away'));
        return Promise.resolve({ sequence: calls, headCount: 1 });
      },
      intervalMs: 10,
      logger: silentLogger,
    });
    await anchoring.start();
    await eventually(() => calls >= 3);
    await anchoring.stop();
    const afterStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(afterStop);
  });

  it('anchors what is left when it stops, before the lease moves', async () => {
    let calls = 0;
    const anchoring = createAnchoring({
      anchor: () => {
        calls += 1;
        return Promise.resolve(null);
      },
      intervalMs: 60_000,
      logger: silentLogger,
    });
    await anchoring.start();
    await anchoring.stop();
    expect(calls).toBe(1);
  });
});
