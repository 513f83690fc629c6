import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test-support/postgres.js';
import type { Database } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openPostgresDatabase } from '../../db/postgres-database.js';
import { eventStoreContract } from '../event-store.contract.js';
import { createPostgresEventStore } from './postgres-event-store.js';

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase('event_store');
  database = openPostgresDatabase(testDatabase.url, { maxConnections: 25 });
  await migrateToLatest(database.db);
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

eventStoreContract('postgres server', () =>
  Promise.resolve(createPostgresEventStore(database, { pollIntervalMs: 200 })),
);
