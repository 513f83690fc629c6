import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import { sessionsToRestore } from '../projections/sessions/session-supervision.js';
import type { SessionSupervisor } from './session-supervisor.js';

const bed = useSupervisorTestBed();

describe('a start that meets the heartbeat’s restore in the same process', () => {
  it('runs one driver: whichever comes second joins the first', async () => {
    const db = readModelDb(bed.database.db);
    const leases = createPostgresSessionLeases(db);
    const sessionId = await bed.registeredSession();
    let supervisor: SessionSupervisor | undefined = undefined;
    let raced = false;
    // The start's lease is taken only once a whole restore ran in between.
    const racingLeases = {
      ...leases,
      async acquire(id: string, owner: string, ttlMs: number) {
        if (!raced) {
          raced = true;
          await eventually(async () => (await sessionsToRestore(db)).some((s) => s.sessionId === id));
          await supervisor!.restoreAll();
        }
        return leases.acquire(id, owner, ttlMs);
      },
    };
    supervisor = bed.supervise(createSimulatorDriver({ settings: bed.fast }), {
      leases: racingLeases,
      owner: 'gateway-race',
    });
    const view = await supervisor.start(sessionId, bed.user);
    expect(view.status).toBe('qr');
    await bed.runner.waitUntilCaughtUp();
    const types = await bed.sessionTypes(sessionId);
    expect(types.filter((type) => type === 'SessionConnecting')).toHaveLength(1);
    expect(types.filter((type) => type === 'QrCodeIssued')).toHaveLength(1);
  });
});
