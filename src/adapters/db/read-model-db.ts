import type { Kysely } from 'kysely';
import type { ReadModelSchema } from './read-model-schema.js';
import type { DatabaseSchema } from './schema.js';

/** The same connection, seen as only the read-model tables (kysely's schema types do not narrow by themselves). */
export function readModelDb(db: Kysely<DatabaseSchema>): Kysely<ReadModelSchema> {
  return db as unknown as Kysely<ReadModelSchema>;
}
