import { FORWARDS, START, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import type { StreamHead } from '../../domain/audit/merkle-tree.js';
import type { DatabaseSchema } from '../db/schema.js';
import { auditChainOf } from '../event-store/eventstoredb/audit-chain-metadata.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  isSamePosition,
} from '../event-store/eventstoredb/checkpoint.js';
import { isSystemEvent, positionOf } from '../event-store/eventstoredb/to-recorded-event.js';
import { signHeads, type AnchorWritten } from './postgres-anchors.js';
import type { AnchorSigningKey } from './signing-key-store.js';

const checkpointName = 'audit-heads';

/**
 * Follows `$all` from the checkpoint kept in PostgreSQL to its end, a page at a time, and records each stream's
 * latest chain head (from the `auditChain` link in its events' metadata). Each page's heads and the checkpoint
 * move in one transaction, so a crash repeats at most one page (recording a head again changes nothing). An
 * event without a link is left out: `npm run audit -- verify` names it. Answers how many events it read.
 */
export async function followEventStoreDbHeads(
  db: Kysely<DatabaseSchema>,
  client: EventStoreDBClient,
  pageSize = 1000,
): Promise<number> {
  let read = 0;
  for (;;) {
    const { rows } = await sql<{ checkpoint: string }>`
      select checkpoint from eventstoredb_audit_checkpoint where name = ${checkpointName}`.execute(db);
    const after = rows[0] ? decodeCheckpoint(rows[0].checkpoint) : undefined;
    const heads = new Map<string, StreamHead>();
    let last = after;
    let count = 0;
    for await (const resolved of client.readAll({
      fromPosition: after ?? START,
      maxCount: pageSize,
      direction: FORWARDS,
    }) as AsyncIterable<AllStreamResolvedEvent>) {
      count += 1;
      const event = resolved.event;
      if (!event) continue;
      const position = positionOf(event);
      if (after && isSamePosition(position, after)) continue;
      last = position;
      if (isSystemEvent(event)) continue;
      read += 1;
      const link = auditChainOf(event.metadata);
      if (link)
        heads.set(event.streamId, { streamName: event.streamId, revision: event.revision, hash: link.hash });
    }
    if (last && (!after || !isSamePosition(last, after)))
      await recordHeads(db, [...heads.values()], encodeCheckpoint(last));
    // A page that started at the checkpoint holds it again: a page of one event is the end.
    if (count < pageSize || (after && count <= 1)) return read;
  }
}

async function recordHeads(db: Kysely<DatabaseSchema>, heads: StreamHead[], checkpoint: string) {
  await db.transaction().execute(async (trx) => {
    if (heads.length > 0)
      await sql`
        insert into eventstoredb_audit_heads (stream_name, revision, hash)
        select head.stream_name, head.revision, decode(head.hash, 'hex')
        from unnest(${heads.map((h) => h.streamName)}::text[], ${heads.map((h) => h.revision.toString())}::bigint[],
          ${heads.map((h) => h.hash)}::text[]) as head(stream_name, revision, hash)
        on conflict (stream_name) do update set revision = excluded.revision, hash = excluded.hash
        where eventstoredb_audit_heads.revision < excluded.revision`.execute(trx);
    await sql`
      insert into eventstoredb_audit_checkpoint (name, checkpoint) values (${checkpointName}, ${checkpoint})
      on conflict (name) do update set checkpoint = excluded.checkpoint`.execute(trx);
  });
}

/**
 * Signs the heads recorded since the previous anchor, as the PostgreSQL store does (postgres-anchors.ts): the
 * anchor, its heads and each stream's `anchored_revision` move together.
 */
export async function writeEventStoreDbAnchor(
  db: Kysely<DatabaseSchema>,
  key: AnchorSigningKey,
  now: () => Date = () => new Date(),
): Promise<AnchorWritten | null> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table audit_anchors in share row exclusive mode`.execute(trx);
    const { rows: changed } = await sql<{ stream_name: string; revision: string; hash: string }>`
      update eventstoredb_audit_heads set anchored_revision = revision
      where revision > anchored_revision
      returning stream_name, revision::text as revision, encode(hash, 'hex') as hash`.execute(trx);
    return signHeads(
      trx,
      changed.map((row) => ({ streamName: row.stream_name, revision: BigInt(row.revision), hash: row.hash })),
      key,
      now,
    );
  });
}

/** Catches up with `$all`, then anchors what changed: one tick of the anchoring singleton on EventStoreDB. */
export async function anchorEventStoreDb(
  db: Kysely<DatabaseSchema>,
  client: EventStoreDBClient,
  key: AnchorSigningKey,
): Promise<AnchorWritten | null> {
  await followEventStoreDbHeads(db, client);
  return writeEventStoreDbAnchor(db, key);
}
