import { sign } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  anchorHash,
  anchorPayloadBytes,
  anchorVersion,
  type AnchorPayload,
} from '../../domain/audit/anchor-payload.js';
import { merkleRoot, sortHeads, type StreamHead } from '../../domain/audit/merkle-tree.js';
import type { DatabaseSchema } from '../db/schema.js';
import type { AnchorSigningKey } from './signing-key-store.js';

export interface AnchorWritten {
  sequence: number;
  headCount: number;
  headsRoot: string;
}

/**
 * Signs the heads of every stream that changed since the previous anchor, in one transaction: the heads, the
 * anchor and each stream's `anchored_revision` move together. A stream being appended to is waited for (its row
 * is locked by the append) and anchored as that append left it. Nothing changed: no anchor, null.
 */
export function writeAnchor(
  db: Kysely<DatabaseSchema>,
  key: AnchorSigningKey,
  now: () => Date = () => new Date(),
): Promise<AnchorWritten | null> {
  return anchorChangedHeads(db, key, now, async (trx) => {
    const { rows } = await sql<ChangedHeadRow>`
      with changed as (
        -- Locked in the order group commit locks streams (by name, code units), so neither waits on the other
        -- in a circle.
        select stream_name from streams
        where revision > anchored_revision and head_hash is not null
        order by stream_name collate "C" for update)
      update streams set anchored_revision = streams.revision from changed
      where streams.stream_name = changed.stream_name
      returning streams.stream_name, streams.revision::text as revision, encode(streams.head_hash, 'hex') as hash`.execute(
      trx,
    );
    return rows;
  });
}

/** A head marked anchored, as the statements that mark them return it. */
export interface ChangedHeadRow {
  stream_name: string;
  /** Decimal. */
  revision: string;
  /** Hex. */
  hash: string;
}

/**
 * One transaction of either store's anchoring: takes its turn on audit_anchors, lets `markAnchored` move each
 * changed stream's `anchored_revision` and answer those heads, and signs them (the heads, the anchor and the
 * marks move together).
 */
export function anchorChangedHeads(
  db: Kysely<DatabaseSchema>,
  key: AnchorSigningKey,
  now: () => Date,
  markAnchored: (trx: Kysely<DatabaseSchema>) => Promise<ChangedHeadRow[]>,
): Promise<AnchorWritten | null> {
  return db.transaction().execute(async (trx) => {
    // Anchors form a chain: two writers (a lease changing hands) take turns.
    await sql`lock table audit_anchors in share row exclusive mode`.execute(trx);
    const changed = await markAnchored(trx);
    return signHeads(
      trx,
      changed.map((row) => ({ streamName: row.stream_name, revision: BigInt(row.revision), hash: row.hash })),
      key,
      now,
    );
  });
}

/**
 * Signs `heads` as the next anchor and keeps them beside it, inside the caller's transaction, which must hold
 * audit_anchors locked (share row exclusive) so that anchors stay one chain. No heads: no anchor, null. Shared
 * by the PostgreSQL store and the EventStoreDB store (eventstoredb-anchors.ts), whose anchors are the same.
 */
export async function signHeads(
  trx: Kysely<DatabaseSchema>,
  changedHeads: readonly StreamHead[],
  key: AnchorSigningKey,
  now: () => Date,
): Promise<AnchorWritten | null> {
  if (changedHeads.length === 0) return null;
  const previous = await trx
    .selectFrom('audit_anchors')
    .select(['sequence', 'payload'])
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  const heads = sortHeads(changedHeads);
  const payload: AnchorPayload = {
    version: anchorVersion,
    sequence: previous ? Number(previous.sequence) + 1 : 1,
    createdAt: now().toISOString(),
    headCount: heads.length,
    headsRoot: merkleRoot(heads),
    previous: previous ? anchorHash(previous.payload) : null,
    publicKey: key.publicKey,
  };
  const bytes = anchorPayloadBytes(payload);
  await trx
    .insertInto('audit_anchors')
    .values({
      sequence: String(payload.sequence),
      payload: bytes.toString('utf8'),
      signature: sign(null, bytes, key.privateKey).toString('base64'),
      public_key: key.publicKey,
    })
    .execute();
  await sql`
    insert into audit_anchor_heads (anchor_sequence, stream_name, revision, hash)
    select ${payload.sequence}::bigint, head.stream_name, head.revision, decode(head.hash, 'hex')
    from unnest(${heads.map((h) => h.streamName)}::text[], ${heads.map((h) => h.revision.toString())}::bigint[],
      ${heads.map((h) => h.hash)}::text[]) as head(stream_name, revision, hash)`.execute(trx);
  return { sequence: payload.sequence, headCount: payload.headCount, headsRoot: payload.headsRoot };
}
