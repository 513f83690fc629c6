import {
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import { auditChainOf } from '../event-store/eventstoredb/audit-chain-metadata.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  isSamePosition,
} from '../event-store/eventstoredb/checkpoint.js';
import { isSystemEvent, positionOf, toRecordedEvent } from '../event-store/eventstoredb/to-recorded-event.js';
import { readAuditFollowerCheckpoint } from './eventstoredb-audit-follower.js';
import { readIndexedEvents, type ChainedEvent } from './eventstoredb-indexed-events.js';
import { indexedSessionEvents, isStreamOfSession } from './eventstoredb-session-index.js';
import type { AuditedEvent, SessionAuditQuery } from './session-audit-page.js';

const tailPageSize = 1000;

export interface EventStoreDbAuditPage {
  events: AuditedEvent[];
  /** The `after` of the next page; null when the session's events were read to the end. */
  next: string | null;
}

/**
 * One page of a session's events and its chats' on EventStoreDB, in `$all` order after `after`. Up to the
 * checkpoint of the follower of `$all` they are found in the audit index (migration 0029), by company and
 * session, and read from their streams by revision: no other tenant's event is read. Past it (what was appended
 * since the follower's last turn, a fraction of a second while it keeps up) `$all` itself is read and filtered,
 * so that an event is shown as soon as its append was answered, on any process; at most `maxTailScanned` events
 * of it per page (a follower far behind: `next` then says where to go on, the page may be short).
 * Each event shows the hash of its `auditChain` link and whether an anchor covers it (its stream's head recorded
 * in PostgreSQL was anchored at or after its revision, eventstoredb-anchors.ts). Events are as stored (sealed).
 * @throws InvalidCheckpointError when `after` is not a checkpoint of this store.
 */
export async function eventStoreDbSessionAuditPage<T>(
  client: EventStoreDBClient,
  db: Kysely<T>,
  query: SessionAuditQuery,
  maxTailScanned = 10_000,
): Promise<EventStoreDbAuditPage> {
  const after = query.after === undefined ? undefined : decodeCheckpoint(query.after);
  const indexedUpTo = await readAuditFollowerCheckpoint(db);
  const indexed = indexedUpTo ? await indexedSessionEvents(db, query, after, indexedUpTo) : [];
  const found = await readIndexedEvents(client, indexed);
  let next: string | null = null;
  if (found.length < query.limit) {
    const tail = await readTail(
      client,
      query,
      laterOf(after, indexedUpTo),
      query.limit - found.length,
      maxTailScanned,
    );
    found.push(...tail.found);
    if (tail.stoppedAt) next = encodeCheckpoint(tail.stoppedAt);
  }
  if (found.length === query.limit) next = found.at(-1)!.event.checkpoint;
  const anchored = await anchoredRevisions(db, [...new Set(found.map(({ event }) => event.streamName))]);
  return {
    events: found.map(({ event, hash }) => ({
      event,
      hash,
      anchored: hash !== null && (anchored.get(event.streamName) ?? -1n) >= event.revision,
      settled: true,
    })),
    next,
  };
}

interface Tail {
  found: ChainedEvent[];
  /** Where the read stopped with `$all` not read to its end (too many events scanned). */
  stoppedAt?: Position;
}

/**
 * The session's events in `$all` after `from`, at most `wanted`. Read whole pages (a page is at most
 * `tailPageSize` events) before looking at them: leaving a read half-way leaves its call open.
 */
async function readTail(
  client: EventStoreDBClient,
  query: SessionAuditQuery,
  from: Position | undefined,
  wanted: number,
  maxScanned: number,
): Promise<Tail> {
  const found: Tail['found'] = [];
  let after = from;
  let scanned = 0;
  for (;;) {
    // Reading from a position starts with the event at it, already seen: one more.
    const pageSize = Math.min(tailPageSize, maxScanned - scanned) + (after ? 1 : 0);
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll({
      fromPosition: after ?? START,
      maxCount: pageSize,
      direction: FORWARDS,
    }) as AsyncIterable<AllStreamResolvedEvent>)
      page.push(resolved);
    const startedAt = after;
    for (const resolved of page) {
      const raw = resolved.event;
      if (!raw || (startedAt && isSamePosition(positionOf(raw), startedAt))) continue;
      after = positionOf(raw);
      scanned += 1;
      if (isSystemEvent(raw) || !isOfSession(raw.metadata, raw.streamId, query)) continue;
      found.push({ event: toRecordedEvent(resolved)!, hash: auditChainOf(raw.metadata)?.hash ?? null });
      if (found.length === wanted) return { found };
    }
    if (page.length < pageSize) return { found };
    if (scanned >= maxScanned) return after ? { found, stoppedAt: after } : { found };
  }
}

function isOfSession(metadata: unknown, streamName: string, query: SessionAuditQuery): boolean {
  const fields = metadata as Record<string, unknown> | undefined;
  return (
    fields?.['companyId'] === query.companyId &&
    fields['sessionId'] === query.sessionId &&
    isStreamOfSession(streamName, query.sessionId)
  );
}

function laterOf(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (!a || !b) return a ?? b;
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare) ? a : b;
}

async function anchoredRevisions<T>(db: Kysely<T>, streams: string[]): Promise<Map<string, bigint>> {
  if (streams.length === 0) return new Map();
  const { rows } = await sql<{ stream_name: string; anchored_revision: string }>`
    select stream_name, anchored_revision::text as anchored_revision from eventstoredb_audit_heads
    where stream_name = any (${streams}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.stream_name, BigInt(row.anchored_revision)]));
}
