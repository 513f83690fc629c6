import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { saveCheckpoints } from '../apply-batch.js';

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

    // Forward only: the process that took the relay over may save while the one before finishes its batch.
    async save(checkpoint) {
      await saveCheckpoints(db, [{ name, checkpoint, events: 0 }]);
    },
  };
}
