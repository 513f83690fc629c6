import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/postgres.js';
import type { Database } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openPostgresDatabase } from '../../db/postgres-database.js';
import { event } from '../event-store.contract.js';
import type { EventStore, RecordedEvent } from '../port.js';
import { createPostgresEventStore } from './postgres-event-store.js';

let testDatabase: TestDatabase;
let database: Database;
let store: EventStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase('late_commit');
  database = openPostgresDatabase(testDatabase.url);
  await migrateToLatest(database.db);
  store = createPostgresEventStore(database, { pollIntervalMs: 50 });
});

afterAll(async () => {
  await store?.close();
  await database?.close();
  await testDatabase?.drop();
});

describe('postgres subscription and late commits', () => {
  it('delivers, in order, an event whose transaction took its position first but committed last', async () => {
    const prefix = `late${randomUUID().slice(0, 8)}-`;
    const delivered: RecordedEvent[] = [];
    let onDelivery = () => {};
    const subscription = store.subscribe({
      filter: { streamPrefixes: [prefix] },
      handle: (batch) => {
        delivered.push(...batch);
        onDelivery();
        return Promise.resolve();
      },
    });
    const deliveredCount = (count: number) =>
      new Promise<void>((resolve) => {
        onDelivery = () => delivered.length >= count && resolve();
        onDelivery();
      });

    await store.append(`${prefix}first`, [event('Early')], 'no_stream');
    await deliveredCount(1);

    const slow = new pg.Client({ connectionString: testDatabase.url });
    await slow.connect();
    await slow.query('begin');
    await slow.query(
      `insert into events (event_id, stream_name, stream_revision, event_type, data, metadata)
       values ($1, $2, 0, 'CommittedLast', '{}', '{}')`,
      [randomUUID(), `${prefix}slow`],
    );
    await store.append(`${prefix}fast`, [event('CommittedFirst')], 'no_stream');

    const visibleWhileOpen = await store.readAll({ from: delivered[0]!.checkpoint });
    expect(visibleWhileOpen.map((e) => e.type)).not.toContain('CommittedFirst');

    await slow.query('commit');
    await slow.end();
    await deliveredCount(3);
    await subscription.stop();

    expect(delivered.map((e) => e.type)).toEqual(['Early', 'CommittedLast', 'CommittedFirst']);
    expect(delivered[1]!.position).toBeLessThan(delivered[2]!.position);
  });
});
