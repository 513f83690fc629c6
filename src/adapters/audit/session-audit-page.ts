import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../event-store/port.js';
import { toRecordedEvent, type EventRow } from '../event-store/postgres/event-rows.js';
import { decodeCheckpoint } from '../event-store/postgres/postgres-checkpoint.js';

export interface AuditedEvent {
  event: RecordedEvent;
  /** Hex chain hash; null on a row the store did not write. */
  hash: string | null;
  /** Whether a signed anchor covers it (its stream was anchored at or after its revision). */
  anchored: boolean;
  /**
   * Whether every transaction that could still commit an event before it has ended: a page may continue after
   * a settled event, never after one that is not (a late commit could land before it).
   */
  settled: boolean;
}

export interface SessionAuditQuery {
  companyId: string;
  sessionId: string;
  /** A checkpoint: the page starts after it. */
  after?: string;
  limit: number;
}

/**
 * One page of a session's events and its chats', in commit order after `after` (a checkpoint), through the
 * index on company and session (migration 0016): the company is part of the key, so other tenants' events are
 * never read. Every committed event is shown, the latest too (a read right after a write shows it); which of
 * them are settled (see read-settled-page.ts) tells where the next page may start without skipping a late commit.
 * @throws InvalidCheckpointError when `after` is not a checkpoint of this store.
 */
export async function sessionAuditPage<T>(db: Kysely<T>, query: SessionAuditQuery): Promise<AuditedEvent[]> {
  const { rows } = await sessionAuditQuery(query).execute(db);
  return rows.map((row) => ({
    event: toRecordedEvent(row),
    hash: row.hash,
    anchored: row.anchored === true,
    settled: row.settled === true,
  }));
}

/** The statement of `sessionAuditPage`, for it and for the test that reads its plan. */
export function sessionAuditQuery(query: SessionAuditQuery) {
  const cursor = decodeCheckpoint(query.after);
  return sql<EventRow & { hash: string | null; anchored: boolean | null; settled: boolean }>`
    select events.position::text as position, events.transaction_id::text as transaction_id,
      events.event_id::text as event_id, events.stream_name, events.stream_revision::text as stream_revision,
      events.event_type, events.data, events.metadata, events.recorded_at,
      encode(events.hash, 'hex') as hash, streams.anchored_revision >= events.stream_revision as anchored,
      events.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) as settled
    from events left join streams on streams.stream_name = events.stream_name
    where (events.metadata ->> 'companyId') = ${query.companyId}
      and (events.metadata ->> 'sessionId') = ${query.sessionId}
      and (events.stream_name = ${`session-${query.sessionId}`}
        or starts_with(events.stream_name, ${`chat-${query.sessionId}_`}))
      and (events.transaction_id, events.position)
        > (${cursor.transactionId.toString()}::xid8, ${cursor.position.toString()}::bigint)
    order by events.transaction_id, events.position
    limit ${query.limit}`;
}
