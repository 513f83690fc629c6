import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';
import { createSerializedDriver } from './serialized-driver.js';

/**
 * Opens the embedded PostgreSQL (PGlite) kept in `dataDir`, or in memory with `memory://`.
 *
 * @example
 * const database = await openPgliteDatabase('./data/pglite');
 */
export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir });
  const { dialect } = new KyselyPGlite(client);
  const driver = createSerializedDriver(dialect.createDriver());
  const db = new Kysely<DatabaseSchema>({
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createIntrospector: (kysely) => dialect.createIntrospector(kysely),
      createDriver: () => driver,
    },
  });
  // LISTEN must not run inside another caller's open transaction on the one shared backend.
  const withConnection = <T>(work: () => Promise<T>): Promise<T> => driver.lock.run(work);

  return {
    kind: 'pglite',
    db,
    // Embedded, a statement costs no round trip: PGlite caches nothing by name, so the name goes unused.
    async prepared<Row>(_name: string, text: string, values: readonly unknown[]) {
      const result = await withConnection(() => client.query<Row>(text, [...values]));
      return result.rows;
    },
    async listen(channel, onNotify) {
      const unlisten = await withConnection(() => client.listen(channel, (payload) => onNotify(payload)));
      return () => withConnection(() => unlisten());
    },
    async close() {
      await db.destroy();
    },
  };
}
