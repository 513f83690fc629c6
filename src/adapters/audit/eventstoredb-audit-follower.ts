import {
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
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
import {
  insertSessionIndexRows,
  sessionIndexRowOf,
  type SessionIndexRow,
} from './eventstoredb-session-index.js';

// The name migration 0028 gave it, when the follower recorded only heads; migration 0029 resets it.
const checkpointName = 'audit-heads';

/** How far the follower has read `$all`: every event up to it has its head and its index row recorded. */
export async function readAuditFollowerCheckpoint<T>(db: Kysely<T>): Promise<Position | undefined> {
  const { rows } = await sql<{ checkpoint: string }>`
    select checkpoint from eventstoredb_audit_checkpoint where name = ${checkpointName}`.execute(db);
  return rows[0] ? decodeCheckpoint(rows[0].checkpoint) : undefined;
}

/**
 * Follows `$all` from the checkpoint kept in PostgreSQL to its end, a page at a time, and records each stream's
 * latest chain head (from the `auditChain` link in its events' metadata) and each event of a session's streams
 * in the audit index (eventstoredb-session-index.ts). Each page's heads, index rows and the checkpoint move in one
 * transaction, so a crash repeats at most one page (recording a head or a row again changes nothing). Without a
 * checkpoint it starts at the beginning of `$all`: the index holds all history. An event without a link gets no
 * head: `npm run audit -- verify` names it. Answers how many events it read.
 */
export async function followEventStoreDbAudit(
  db: Kysely<DatabaseSchema>,
  client: EventStoreDBClient,
  pageSize = 1000,
): Promise<number> {
  let read = 0;
  for (;;) {
    const after = await readAuditFollowerCheckpoint(db);
    const heads = new Map<string, StreamHead>();
    const indexRows: SessionIndexRow[] = [];
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
      const row = sessionIndexRowOf(event, position);
      if (row) indexRows.push(row);
    }
    if (last && (!after || !isSamePosition(last, after)))
      await recordPage(db, [...heads.values()], indexRows, last);
    // A page that started at the checkpoint holds it again: a page of one event is the end.
    if (count < pageSize || (after && count <= 1)) return read;
  }
}

async function recordPage(
  db: Kysely<DatabaseSchema>,
  heads: StreamHead[],
  indexRows: SessionIndexRow[],
  checkpoint: Position,
) {
  await db.transaction().execute(async (trx) => {
    if (heads.length > 0)
      await sql`
        insert into eventstoredb_audit_heads (stream_name, revision, hash)
        select head.stream_name, head.revision, decode(head.hash, 'hex')
        from unnest(${heads.map((h) => h.streamName)}::text[], ${heads.map((h) => h.revision.toString())}::bigint[],
          ${heads.map((h) => h.hash)}::text[]) as head(stream_name, revision, hash)
        on conflict (stream_name) do update set revision = excluded.revision, hash = excluded.hash
        where eventstoredb_audit_heads.revision < excluded.revision`.execute(trx);
    await insertSessionIndexRows(trx, indexRows);
    // Two followers may overlap (a lease changing hands, `npm run audit -- export`): the checkpoint only moves
    // forward, and the one behind writes nothing new (its rows are there already).
    await sql`
      insert into eventstoredb_audit_checkpoint (name, checkpoint)
      values (${checkpointName}, ${encodeCheckpoint(checkpoint)})
      on conflict (name) do update set checkpoint = excluded.checkpoint
      where (split_part(eventstoredb_audit_checkpoint.checkpoint, '/', 1)::numeric,
          split_part(eventstoredb_audit_checkpoint.checkpoint, '/', 2)::numeric)
        < (split_part(excluded.checkpoint, '/', 1)::numeric, split_part(excluded.checkpoint, '/', 2)::numeric)`.execute(
      trx,
    );
  });
}
