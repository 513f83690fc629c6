import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../src/adapters/db/database.js';
import { migrateToLatest } from '../src/adapters/db/migrate.js';
import { openPgliteDatabase } from '../src/adapters/db/pglite-database.js';
import { openPostgresDatabase } from '../src/adapters/db/postgres-database.js';
import { createTestDatabase } from './postgres.js';

export const databaseKinds = ['postgres', 'pglite'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

export interface MigratedTestDatabase {
  database: Database;
  /** The server URL, for a PostgreSQL server database. */
  url?: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated database of either kind, removed by `dispose`. */
export async function openMigratedTestDatabase(
  kind: DatabaseKind,
  label: string,
): Promise<MigratedTestDatabase> {
  if (kind === 'postgres') {
    const created = await createTestDatabase(label);
    const database = openPostgresDatabase(created.url, { maxConnections: 20 });
    await migrateToLatest(database.db);
    return {
      database,
      url: created.url,
      async dispose() {
        await database.close();
        await created.drop();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), `zapledger-${label}-`));
  const database = await openPgliteDatabase(dir);
  await migrateToLatest(database.db);
  return {
    database,
    async dispose() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
