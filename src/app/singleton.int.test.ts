import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { createPostgresSingletonLeases } from '../adapters/db/postgres-singleton-leases.js';
import { silentLogger } from '../logger.js';
import { runAsSingleton } from './singleton.js';

describe('work done by one process of the cluster at a time', () => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'singleton');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('runs in one process, and moves to another when that one stops', async () => {
    const leases = createPostgresSingletonLeases(testDb.database.db);
    const runs = new Map<string, number>();
    const process = (owner: string) =>
      runAsSingleton({
        name: 'relay',
        owner,
        leases,
        ttlMs: 600,
        logger: silentLogger,
        start: () => Promise.resolve(void runs.set(owner, (runs.get(owner) ?? 0) + 1)),
        stop: () => Promise.resolve(void runs.set(owner, (runs.get(owner) ?? 0) - 1)),
      });
    const [a, b, c] = [process('a'), process('b'), process('c')];
    await a.begin();
    await Promise.all([b.begin(), c.begin()]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect([...runs.values()].reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(a.isRunning()).toBe(true);

    await a.end();
    await eventually(() => b.isRunning() || c.isRunning(), 3000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect([b.isRunning(), c.isRunning()].filter(Boolean)).toHaveLength(1);
    await Promise.all([b.end(), c.end()]);
  });

  it('is taken over once the lease of a process that died without letting go has expired', async () => {
    const leases = createPostgresSingletonLeases(testDb.database.db);
    expect(await leases.hold('catch-up', 'dead-process', 300)).toBe(true);
    let started = 0;
    const survivor = runAsSingleton({
      name: 'catch-up',
      owner: 'survivor',
      leases,
      ttlMs: 300,
      logger: silentLogger,
      start: () => Promise.resolve(void started++),
      stop: () => Promise.resolve(),
    });
    await survivor.begin();
    expect(survivor.isRunning()).toBe(false);
    await eventually(() => survivor.isRunning(), 2000);
    expect(started).toBe(1);
    await survivor.end();
  });

  it('lets the lease go when its work does not start, so that another process does it', async () => {
    const leases = createPostgresSingletonLeases(testDb.database.db);
    let started = 0;
    const process = (owner: string, fails: boolean) =>
      runAsSingleton({
        name: 'projections',
        owner,
        leases,
        ttlMs: 600,
        logger: silentLogger,
        start: () =>
          fails ? Promise.reject(new Error('database restarting')) : Promise.resolve(void started++),
        stop: () => Promise.resolve(),
      });
    const broken = process('broken', true);
    const healthy = process('healthy', false);
    await broken.begin();
    expect(broken.isRunning()).toBe(false);
    await healthy.begin();
    await eventually(() => healthy.isRunning(), 3000);
    expect(started).toBe(1);
    await Promise.all([broken.end(), healthy.end()]);
  });
});
