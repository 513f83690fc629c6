import { describe, expect, it } from 'vitest';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';

const bed = useSupervisorTestBed();

describe('a stop asked of another process', () => {
  it('is recorded before the lease goes, since the asker answers once the lease is gone', async () => {
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const recordedWhenReleased: boolean[] = [];
    let sessionId = '';
    const watchingLeases = {
      ...leases,
      async release(id: string, owner: string) {
        if (id === sessionId)
          recordedWhenReleased.push((await bed.sessionTypes(id)).includes('SessionStopped'));
        return leases.release(id, owner);
      },
    };
    const simulator = createSimulatorDriver({ settings: bed.fast });
    const supervisor = bed.supervise(simulator, { leases: watchingLeases, owner: 'gateway-order' });
    sessionId = await bed.connected(simulator, supervisor);
    await supervisor.stoppedElsewhere(sessionId, bed.company, false, new Date());
    expect(recordedWhenReleased).toEqual([true]);
  });
});
