import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Database } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';

/**
 * The PostgreSQL server named by DATABASE_URL, or the embedded PGlite under DATA_DIR when it is unset. PGlite
 * and its kysely driver (about 80 MB of memory) are loaded only in the second case.
 */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<Database> {
  if (config.DATABASE_URL) return openPostgresDatabase(config.DATABASE_URL);
  const { openPgliteDatabase } = await import('./pglite-database.js');
  return openPgliteDatabase(join(config.DATA_DIR, 'pglite'));
}
