import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPostgresDatabase } from './postgres-database.js';

/** The PostgreSQL server named by DATABASE_URL, or the embedded PGlite under DATA_DIR when it is unset. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgresDatabase(config.DATABASE_URL)
    : openPgliteDatabase(join(config.DATA_DIR, 'pglite'));
}
