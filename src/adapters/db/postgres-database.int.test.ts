import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import type { Database } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';

let testDatabase: TestDatabase;
let database: Database | undefined;

beforeAll(async () => {
  testDatabase = await createTestDatabase('pg_database');
});
afterEach(async () => {
  await database?.close();
  database = undefined;
});
afterAll(async () => {
  await testDatabase?.drop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends every other connection to the test database, as an administrator or a failover would. */
async function terminateOtherBackends(db: Database['db']): Promise<number> {
  const { rows } = await sql<{ terminated: boolean }>`
    select pg_terminate_backend(pid) as terminated from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(db);
  return rows.length;
}

describe('postgres database', () => {
  it('survives its connections being terminated while work is going on, then answers and notifies again', async () => {
    const errors: unknown[] = [];
    const record = (error: unknown) => errors.push(error);
    process.on('uncaughtException', record);
    try {
      const opened = openPostgresDatabase(testDatabase.url, { maxConnections: 6 });
      database = opened;
      let notified = 0;
      const unlisten = await opened.listen('survival', () => (notified += 1));
      let working = true;
      // Transactions hold their client between statements, the moment an unwatched client dies unheard.
      const worker = async () => {
        while (working) {
          await opened.db
            .transaction()
            .execute(async (trx) => {
              await sql`select 1`.execute(trx);
              await pause(5);
              await sql`select pg_sleep(0.01)`.execute(trx);
            })
            .catch(() => undefined);
        }
      };
      const workers = Array.from({ length: 4 }, worker);
      const admin = openPostgresDatabase(testDatabase.url, { maxConnections: 1 });
      let terminated = 0;
      try {
        // On a loaded machine the workers may not have connected again by the next round: counted overall.
        for (let round = 0; round < 5; round++) {
          await pause(100);
          terminated += await terminateOtherBackends(admin.db);
        }
      } finally {
        // Whatever happened above, the workers stop (they looped forever when a round threw).
        working = false;
        await admin.close();
      }
      await Promise.all(workers);
      expect(terminated).toBeGreaterThan(0);
      await pause(1500); // an unhandled 'error' surfaces after the socket closes
      const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(opened.db);
      expect(rows).toEqual([{ answer: 42 }]);
      // The LISTEN connection was terminated too, and came back listening.
      await eventually(async () => {
        await sql`select pg_notify('survival', '')`.execute(opened.db);
        return notified > 0;
      });
      await unlisten();
    } finally {
      process.off('uncaughtException', record);
    }
    expect(errors).toEqual([]);
  });
});
