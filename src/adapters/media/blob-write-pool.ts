import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ReadModelSchema } from '../db/read-model-schema.js';

/** A small pool of its own for writing kept files, and how to close it. */
export interface BlobWritePool {
  db: Kysely<ReadModelSchema>;
  close(): Promise<void>;
}

/**
 * Opens `connections` connections to the PostgreSQL server for the chunks of kept files. A megabyte file is
 * written as a transaction of several half-megabyte inserts; over the main pool, a few of those at once held
 * connections the messages' group commits then waited for. Here they queue among themselves instead.
 *
 * @example
 * const writes = openBlobWritePool('postgres://postgres@127.0.0.1:5432/zapledger', 1);
 */
export function openBlobWritePool(url: string, connections: number): BlobWritePool {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // As in the main pool: a dropped connection fails its query, and must not kill the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<ReadModelSchema>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}
