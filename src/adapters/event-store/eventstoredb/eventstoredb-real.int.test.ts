import { afterAll, describe, it } from 'vitest';
import { realEventStoreDb } from '../../../../test-support/eventstoredb.js';
import { eventStoreContract } from '../event-store.contract.js';
import { createEventStoreDbEventStore } from './eventstoredb-event-store.js';

const real = await realEventStoreDb();

if ('skipped' in real) {
  console.warn(real.skipped);
  describe.skip(`event store contract: eventstoredb (real) — ${real.skipped}`, () => {
    it.skip(real.skipped, () => undefined);
  });
} else {
  eventStoreContract('eventstoredb (real)', () =>
    Promise.resolve(createEventStoreDbEventStore(real.connectionString)),
  );
  afterAll(async () => {
    await real.stop();
  });
}
