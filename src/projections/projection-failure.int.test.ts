import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import type { Logger } from '../logger.js';
import { allProjectors } from './all-projectors.js';
import { createProjectionRunner } from './projection-runner.js';

describe('a projection that meets an event it cannot apply', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'projection_failure');
    store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('stops there, names the event, keeps its checkpoint just before it, and logs it', async () => {
    const sessionId = await writeRealisticHistory(store, 'acme');
    const badId = randomUUID();
    await store.append(
      `chat-${sessionId}_5511988887777@c.us`,
      [
        {
          id: badId,
          type: 'MessageReceived',
          data: { waMessageId: 42 },
          metadata: { sessionId, companyId: 'acme' },
        },
      ],
      'stream_exists',
    );
    await writeRealisticHistory(store, 'acme');
    const logged: { details: object; message: string }[] = [];
    const logger: Logger = {
      info: () => {},
      warn: () => {},
      error: (details, message) => logged.push({ details, message }),
    };
    const runner = createProjectionRunner({
      db: readModelDb(testDb.database.db),
      store,
      projectors: allProjectors,
      logger,
    });
    await runner.start();
    await runner.waitUntilCaughtUp();

    const status = await runner.status();
    await runner.stop();
    const all = await store.readAll({ maxCount: 10_000 });
    const badIndex = all.findIndex((e) => e.id === badId);
    for (const projection of status) {
      expect(projection.state).toBe('failed');
      expect(projection.lastError).toContain(badId);
      expect(projection.lastError).toContain(`position ${all[badIndex]!.position}`);
      expect(projection.checkpoint).toBe(all[badIndex - 1]!.checkpoint);
      expect(projection.lag).toBe(all.length - badIndex);
    }
    expect(logged.map((l) => l.message)).toEqual(
      expect.arrayContaining(allProjectors.map((p) => `Projection ${p.name} stopped`)),
    );
  });

  it('waits out a passing database error and goes on, instead of stopping', async () => {
    const ownDb = await openMigratedTestDatabase('postgres', 'projection_transient');
    const ownStore = createPostgresEventStore(ownDb.database, { pollIntervalMs: 50 });
    await writeRealisticHistory(ownStore, 'globex');
    let failuresLeft = 2;
    const flaky = allProjectors.map((projector) => ({
      ...projector,
      project: async (
        db: Parameters<typeof projector.project>[0],
        events: Parameters<typeof projector.project>[1],
      ) => {
        if (projector.name === 'messages' && failuresLeft > 0) {
          failuresLeft--;
          throw Object.assign(new Error('terminating connection due to administrator command'), {
            code: '57P01',
          });
        }
        await projector.project(db, events);
      },
    }));
    const runner = createProjectionRunner({
      db: readModelDb(ownDb.database.db),
      store: ownStore,
      projectors: flaky,
    });
    await runner.start();
    await runner.waitUntilCaughtUp();
    const messages = (await runner.status()).find((status) => status.name === 'messages')!;
    await runner.stop();
    await ownStore.close();
    await ownDb.dispose();
    expect(failuresLeft).toBe(0);
    expect(messages.state).toBe('running');
  });
});
