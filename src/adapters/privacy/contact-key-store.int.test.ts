import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { createContactKeyStore } from './contact-key-store.js';

describe("a group's member keys, created by two processes at once", () => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'contact_keys');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('are created once each, whatever order each process lists the members in', async () => {
    for (let round = 0; round < 5; round++) {
      const members = Array.from(
        { length: 300 },
        (_, i) => `55119${String(round * 1000 + i).padStart(8, '0')}`,
      );
      const [one, other] = [
        createContactKeyStore(testDb.database.db),
        createContactKeyStore(testDb.database.db),
      ];
      // Without one order, the two inserts wait on each other's rows: "deadlock detected" in most rounds.
      await Promise.all([one.prepare('acme', members), other.prepare('acme', [...members].reverse())]);
      for (const member of [members[0]!, members[299]!])
        expect((await one.keyFor('acme', member)).keyId).toBe((await other.keyFor('acme', member)).keyId);
    }
  });
});
