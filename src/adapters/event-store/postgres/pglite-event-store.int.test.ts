import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { openPgliteDatabase } from '../../db/pglite-database.js';
import { eventStoreContract } from '../event-store.contract.js';
import { createPostgresEventStore } from './postgres-event-store.js';

let dataDir: string;
let database: Database;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zapledger-pglite-'));
  database = await openPgliteDatabase(dataDir);
  await migrateToLatest(database.db);
});

afterAll(async () => {
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

eventStoreContract('pglite', () =>
  Promise.resolve(createPostgresEventStore(database, { pollIntervalMs: 200 })),
);
