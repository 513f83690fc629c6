import { EventStoreDBClient } from '@eventstore/db-client';
import type { Kysely } from 'kysely';
import { writeEventStoreDbAnchor } from '../adapters/audit/eventstoredb-anchors.js';
import { createAuditFollowLoop } from '../adapters/audit/eventstoredb-audit-follow-loop.js';
import { writeAnchor } from '../adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../adapters/audit/signing-key-store.js';
import { createPostgresSingletonLeases } from '../adapters/db/postgres-singleton-leases.js';
import type { DatabaseSchema } from '../adapters/db/schema.js';
import { createAnchoring } from '../app/audit-anchoring.js';
import { runAsSingleton } from '../app/singleton.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * How often, on EventStoreDB, the audit heads and index follow `$all`: the audit page reads from `$all` what
 * they have not reached yet, so they keep close behind (one small read when nothing was appended).
 */
const auditFollowIntervalMs = 250;

/**
 * Signs the heads of the store's hash chains every AUDIT_ANCHOR_INTERVAL_MS, in one process of the cluster at a
 * time. On EventStoreDB the same singleton follows `$all` into the heads and the audit index in PostgreSQL
 * (eventstoredb-audit-follower.ts), and catches up once more before it signs. The key is loaded (or generated)
 * at once, so that a bad AUDIT_SIGNING_KEY stops the start.
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
  const follower = client
    ? createAuditFollowLoop({ db, client, intervalMs: auditFollowIntervalMs, logger })
    : null;
  const anchoring = createAnchoring({
    anchor: async () => {
      if (!follower) return writeAnchor(db, key);
      await follower.catchUp();
      return writeEventStoreDbAnchor(db, key);
    },
    intervalMs: config.AUDIT_ANCHOR_INTERVAL_MS,
    logger,
  });
  const singleton = runAsSingleton({
    name: 'audit-anchors',
    owner,
    leases: createPostgresSingletonLeases(db),
    start: async () => {
      await follower?.start();
      await anchoring.start();
    },
    stop: async () => {
      await anchoring.stop();
      await follower?.stop();
    },
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
