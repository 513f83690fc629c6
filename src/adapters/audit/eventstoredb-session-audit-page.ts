import { FORWARDS, START, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import { auditChainOf } from '../event-store/eventstoredb/audit-chain-metadata.js';
import { decodeCheckpoint, isSamePosition } from '../event-store/eventstoredb/checkpoint.js';
import { isSystemEvent, positionOf, toRecordedEvent } from '../event-store/eventstoredb/to-recorded-event.js';
import type { AuditedEvent, SessionAuditQuery } from './session-audit-page.js';

const pageSize = 1000;

export interface EventStoreDbAuditPage {
  events: AuditedEvent[];
  /** The `after` of the next page; null when `$all` was read to its end. */
  next: string | null;
}

/**
 * One page of a session's events and its chats' on EventStoreDB, which keeps no index by company and session:
 * `$all` is scanned in order from `after` (at most `maxScanned` events per page; `next` then says where to go on).
 * Each event shows the hash of its `auditChain` link and whether an anchor covers it (its stream's head recorded
 * in PostgreSQL was anchored at or after its revision, eventstoredb-anchors.ts). Events are as stored (sealed).
 * @throws InvalidCheckpointError when `after` is not a checkpoint of this store.
 */
export async function eventStoreDbSessionAuditPage<T>(
  client: EventStoreDBClient,
  db: Kysely<T>,
  query: SessionAuditQuery,
  maxScanned = 50_000,
): Promise<EventStoreDbAuditPage> {
  const ofSession = (streamName: string) =>
    streamName === `session-${query.sessionId}` || streamName.startsWith(`chat-${query.sessionId}_`);
  const found: { event: AuditedEvent['event']; hash: string | null }[] = [];
  let after = query.after === undefined ? undefined : decodeCheckpoint(query.after);
  let from = query.after;
  let scanned = 0;
  let exhausted = false;
  scanning: while (found.length < query.limit && scanned < maxScanned) {
    // Read whole (it is at most a page) before looking at it: leaving a read half-way leaves its call open.
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
      if (isSystemEvent(raw)) continue;
      const event = toRecordedEvent(resolved)!;
      scanned += 1;
      from = event.checkpoint;
      if (ofSession(event.streamName) && event.metadata.companyId === query.companyId)
        found.push({ event, hash: auditChainOf(raw.metadata)?.hash ?? null });
      if (found.length === query.limit) break scanning;
    }
    const read = page.length;
    if (read < pageSize) {
      exhausted = true;
      break;
    }
  }
  const anchored = await anchoredRevisions(db, [...new Set(found.map(({ event }) => event.streamName))]);
  return {
    events: found.map(({ event, hash }) => ({
      event,
      hash,
      anchored: hash !== null && (anchored.get(event.streamName) ?? -1n) >= event.revision,
      settled: true,
    })),
    next: exhausted ? null : (from ?? null),
  };
}

async function anchoredRevisions<T>(db: Kysely<T>, streams: string[]): Promise<Map<string, bigint>> {
  if (streams.length === 0) return new Map();
  const { rows } = await sql<{ stream_name: string; anchored_revision: string }>`
    select stream_name, anchored_revision::text as anchored_revision from eventstoredb_audit_heads
    where stream_name = any (${streams}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.stream_name, BigInt(row.anchored_revision)]));
}
