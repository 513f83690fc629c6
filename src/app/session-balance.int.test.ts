import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { createPostgresSessionLeases } from '../adapters/db/postgres-session-leases.js';
import { createMemoryLoginStore } from '../adapters/whatsapp/simulator/login-store.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';

const bed = useSupervisorTestBed();
const beat = 200;

describe('sessions spread over gateway processes', () => {
  it('moves sessions in small steps to a process that joins, without a new QR code, then stays put', async () => {
    const logins = createMemoryLoginStore();
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const simulatorA = createSimulatorDriver({ settings: bed.fast, logins });
    const options = { leases, heartbeatIntervalMs: beat, rebalanceStep: 1 };
    const a = bed.supervise(simulatorA, { ...options, owner: 'gateway-a' });
    a.startHeartbeat();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await bed.connected(simulatorA, a));
    await bed.runner.waitUntilCaughtUp();
    expect(a.runningSessionIds()).toHaveLength(6);

    const b = bed.supervise(createSimulatorDriver({ settings: bed.fast, logins }), {
      ...options,
      owner: 'gateway-b',
    });
    await b.restoreAll();
    b.startHeartbeat();
    const spread = () => [a.runningSessionIds().length, b.runningSessionIds().length];
    const seen: number[][] = [];
    await eventually(() => {
      seen.push(spread());
      return spread()[0] === 3 && spread()[1] === 3;
    }, 60 * beat);
    // In steps of one per beat: B did not get its three at once.
    expect(seen.some(([, onB]) => onB! > 0 && onB! < 3)).toBe(true);
    for (const id of b.runningSessionIds()) await eventually(() => b.view(id)?.status === 'connected');

    const settled = spread();
    const owners = new Map(ids.map((id) => [id, a.runningSessionIds().includes(id) ? 'a' : 'b']));
    await new Promise((resolve) => setTimeout(resolve, 8 * beat));
    expect(spread()).toEqual(settled);
    for (const id of ids) expect(owners.get(id)).toBe(a.runningSessionIds().includes(id) ? 'a' : 'b');
    for (const id of ids) {
      const types = await bed.sessionTypes(id);
      expect(types.filter((type) => type === 'QrCodeIssued')).toHaveLength(1);
      expect(types.at(-1)).toBe('SessionConnected');
    }
  });

  it('takes every session of a process that left, whatever the shares', async () => {
    const logins = createMemoryLoginStore();
    const leases = createPostgresSessionLeases(readModelDb(bed.database.db));
    const options = { leases, heartbeatIntervalMs: beat, rebalanceStep: 1 };
    const simulatorA = createSimulatorDriver({ settings: bed.fast, logins });
    const a = bed.supervise(simulatorA, { ...options, owner: 'gateway-c' });
    const ids = [await bed.connected(simulatorA, a), await bed.connected(simulatorA, a)];
    await bed.runner.waitUntilCaughtUp();
    const b = bed.supervise(createSimulatorDriver({ settings: bed.fast, logins }), {
      ...options,
      owner: 'gateway-d',
    });
    b.startHeartbeat();
    await a.shutdown();
    await eventually(() => ids.every((id) => b.view(id)?.status === 'connected'), 10_000);
  });
});
