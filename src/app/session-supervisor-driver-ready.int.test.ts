import { describe, expect, it } from 'vitest';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';

const bed = useSupervisorTestBed();
const { user, fast, supervise, registeredSession } = bed;

describe('the supervisor’s notice of a driver started on this process', () => {
  it('comes once the driver answers driverSession, and no more once the listener stops', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const ready: { sessionId: string; answered: boolean }[] = [];
    const stop = supervisor.onDriverReady((sessionId) =>
      ready.push({ sessionId, answered: supervisor.driverSession(sessionId) !== undefined }),
    );
    const sessionId = await registeredSession();
    await supervisor.start(sessionId, user);
    expect(ready).toEqual([{ sessionId, answered: true }]);

    stop();
    const other = await registeredSession();
    await supervisor.start(other, user);
    expect(ready).toHaveLength(1);
  });

  it('does not fail the start when a listener throws', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    supervisor.onDriverReady(() => {
      throw new Error('a listener with a bug');
    });
    const sessionId = await registeredSession();
    expect((await supervisor.start(sessionId, user)).status).toBe('qr');
    expect(supervisor.driverSession(sessionId)).toBeDefined();
  });
});
