import { EventStoreDBClient } from '@eventstore/db-client';
import type { Kysely } from 'kysely';
import { anchorEventStoreDb } from '../adapters/audit/eventstoredb-anchors.js';
import { writeAnchor } from '../adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../adapters/audit/signing-key-store.js';
import { createPostgresSingletonLeases } from '../adapters/db/postgres-singleton-leases.js';
import type { DatabaseSchema } from '../adapters/db/schema.js';
import { createAnchoring } from '../app/audit-anchoring.js';
import { runAsSingleton } from '../app/singleton.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * Signs the heads of the store's hash chains every AUDIT_ANCHOR_INTERVAL_MS, in one process of the cluster at a
 * time. On EventStoreDB the heads are first caught up from `$all` into PostgreSQL (eventstoredb-anchors.ts).
 * The key is loaded (or generated) at once, so that a bad AUDIT_SIGNING_KEY stops the start.
 */
export async function startAnchoring(
  db: Kysely<DatabaseSchema>,
  config: Config,
  owner: string,
  logger: Logger,
) {
  const key = await loadAnchorSigningKey(db, config.AUDIT_SIGNING_KEY);
  const client =
    config.EVENT_STORE === 'eventstoredb'
      ? EventStoreDBClient.connectionString(config.EVENTSTORE_URL!)
      : null;
  const anchoring = createAnchoring({
    anchor: () => (client ? anchorEventStoreDb(db, client, key) : writeAnchor(db, key)),
    intervalMs: config.AUDIT_ANCHOR_INTERVAL_MS,
    logger,
  });
  const singleton = runAsSingleton({
    name: 'audit-anchors',
    owner,
    leases: createPostgresSingletonLeases(db),
    start: () => anchoring.start(),
    stop: () => anchoring.stop(),
    logger,
  });
  await singleton.begin();
  return {
    ...singleton,
    async end(): Promise<void> {
      await singleton.end();
      await client?.dispose();
    },
  };
}
