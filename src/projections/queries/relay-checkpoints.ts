import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';

/**
 * The relay's checkpoint as a row of projection_checkpoints, so that it shows beside the projections'.
 *
 * @example
 * const relay = createRelay({ store, bus, logger, checkpoints: relayCheckpoints(readModelDb(database.db)) });
 */
export function relayCheckpoints(
  db: Kysely<ReadModelSchema>,
  name = 'relay',
): { load(): Promise<string | null>; save(checkpoint: string): Promise<void> } {
  return {
    async load() {
      const row = await db
        .selectFrom('projection_checkpoints')
        .select('checkpoint')
        .where('name', '=', name)
        .executeTakeFirst();
      return row?.checkpoint ?? null;
    },

    async save(checkpoint) {
      const updatedAt = new Date();
      await db
        .insertInto('projection_checkpoints')
        .values({ name, checkpoint, updated_at: updatedAt })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ checkpoint, updated_at: updatedAt, last_error: null, last_error_at: null }),
        )
        .execute();
    },
  };
}
