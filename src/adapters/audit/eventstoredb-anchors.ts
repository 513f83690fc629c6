import type { EventStoreDBClient } from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { followEventStoreDbAudit } from './eventstoredb-audit-follower.js';
import { anchorChangedHeads, type AnchorWritten, type ChangedHeadRow } from './postgres-anchors.js';
import type { AnchorSigningKey } from './signing-key-store.js';

/**
 * Signs the heads recorded since the previous anchor (by the follower of `$all`, eventstoredb-audit-follower.ts),
 * as the PostgreSQL store does (postgres-anchors.ts): the anchor, its heads and each stream's `anchored_revision`
 * move together.
 */
export function writeEventStoreDbAnchor(
  db: Kysely<DatabaseSchema>,
  key: AnchorSigningKey,
  now: () => Date = () => new Date(),
): Promise<AnchorWritten | null> {
  return anchorChangedHeads(db, key, now, async (trx) => {
    const { rows } = await sql<ChangedHeadRow>`
      update eventstoredb_audit_heads set anchored_revision = revision
      where revision > anchored_revision
      returning stream_name, revision::text as revision, encode(hash, 'hex') as hash`.execute(trx);
    return rows;
  });
}

/** Catches up with `$all`, then anchors what changed: what `npm run audit -- export` does before it writes. */
export async function anchorEventStoreDb(
  db: Kysely<DatabaseSchema>,
  client: EventStoreDBClient,
  key: AnchorSigningKey,
): Promise<AnchorWritten | null> {
  await followEventStoreDbAudit(db, client);
  return writeEventStoreDbAnchor(db, key);
}
