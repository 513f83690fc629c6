import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from '../../../migrations/index.js';

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';

  constructor(
    readonly migrationName: string,
    override readonly cause: unknown,
  ) {
    super(
      `Migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/**
 * Brings the schema to the latest migration; the same on a PostgreSQL server and on PGlite.
 *
 * @example
 * const applied = await migrateToLatest(database.db);
 */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (!error) return results;
  const failed = results.find((r) => r.status === 'Error');
  // Without a failed migration the error came before any ran (the database could not be reached).
  if (failed) throw new MigrationFailedError(failed.migrationName, error);
  throw error instanceof Error ? error : new Error(JSON.stringify(error));
}
