import { sql, type Kysely } from 'kysely';
import type { SnapshotStore } from '../../app/snapshot-store.js';
import type { ReadModelSchema } from './read-model-schema.js';

/** Stream snapshots in the shared database (migrations/0009), so every process and every restart finds them. */
export function createPostgresSnapshotStore(db: Kysely<ReadModelSchema>): SnapshotStore {
  return {
    async load(streamName) {
      const row = await db
        .selectFrom('stream_snapshots')
        .select(['revision', 'version', 'state'])
        .where('stream_name', '=', streamName)
        .executeTakeFirst();
      return row && { revision: BigInt(row.revision), version: row.version, state: row.state };
    },
    async save(streamName, { revision, version, state }) {
      await db
        .insertInto('stream_snapshots')
        .values({
          stream_name: streamName,
          revision: revision.toString(),
          version,
          state: JSON.stringify(state),
        })
        .onConflict((oc) =>
          oc
            .column('stream_name')
            .doUpdateSet({
              revision: (eb) => eb.ref('excluded.revision'),
              version: (eb) => eb.ref('excluded.version'),
              state: (eb) => eb.ref('excluded.state'),
              taken_at: sql`now()`,
            })
            .where('stream_snapshots.revision', '<', (eb) => eb.ref('excluded.revision')),
        )
        .execute();
    },
  };
}
