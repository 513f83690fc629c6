import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { createPostgresEventStore } from '../../adapters/event-store/postgres/postgres-event-store.js';
import { toProjectedEvent } from '../projected-event.js';
import { clientsProjector } from './clients-projector.js';

// Two processes' inline projections may create a client's row in either order (whichever takes the row first),
// while a rebuild applies the events in commit order: the row must not depend on which came first.
describe('a client first written by two messages applied in either order', () => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'clients-order');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('keeps the earliest message as its creation', async () => {
    const store = createPostgresEventStore(testDb.database);
    const { chat, incoming } = historyWriter(store);
    const joao = '5511988887777@c.us';
    for (const [session, id] of [
      ['8d3c7a52-0d0e-4a55-9a51-0d7c1b6a1111', 'first'],
      ['8d3c7a52-0d0e-4a55-9a51-0d7c1b6a2222', 'second'],
    ] as const)
      await chat(
        'acme',
        session,
        joao,
        { type: 'RecordIncomingMessage', message: incoming(joao, id, 'Oi') },
        id,
      );
    const [first, second] = (await store.readAll()).map(toProjectedEvent);
    await store.close();

    const db = readModelDb(testDb.database.db);
    await clientsProjector.project(db, [second!]);
    await clientsProjector.project(db, [first!]);
    const client = await db.selectFrom('Clients').select('Created_At').executeTakeFirstOrThrow();
    expect(new Date(client.Created_At).toISOString()).toBe(first!.metadata.recordedAt);
  });
});
