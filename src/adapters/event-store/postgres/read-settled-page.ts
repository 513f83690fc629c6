import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import type { RecordedEvent } from '../port.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-rows.js';
import type { PostgresCursor } from './postgres-checkpoint.js';

export interface SettledPage {
  events: RecordedEvent[];
  /**
   * How far the reader may move even if no event matched: every transaction older than the snapshot's xmin
   * has settled, so nothing new can ever appear before (xmin, 0).
   */
  horizon: PostgresCursor;
}

/**
 * Reads events after `cursor` in (transaction id, position) order, but only those whose transaction is older
 * than every transaction still running.
 *
 * Why: `position` comes from a sequence when a row is inserted, not when it commits. If transaction A takes
 * position 10 and commits after transaction B took 11 and committed, a reader ordered by position alone would
 * read 11, move its cursor past 10, and never see A's event. Ordering by the transaction id (xid8, which never
 * wraps) and stopping below `pg_snapshot_xmin` means the reader only ever looks at a settled prefix of history:
 * every transaction below xmin has either committed or rolled back, so no event can later appear behind the
 * cursor. The cost is that one long-running transaction anywhere on the server holds every reader back until it
 * ends (readers poll, so they resume once it does).
 */
export async function readSettledPage(
  db: Kysely<DatabaseSchema>,
  cursor: PostgresCursor,
  maxCount: number,
  streamPrefixes?: readonly string[],
): Promise<SettledPage> {
  const prefixFilter = streamPrefixes?.length
    ? sql`and (${sql.join(
        streamPrefixes.map((prefix) => sql`starts_with(stream_name, ${prefix})`),
        sql` or `,
      )})`
    : sql``;
  const result = await sql<EventRow & { horizon: string }>`
    with settled as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
    select settled.xmin::text as horizon, page.*
    from settled
    left join lateral (
      select ${sql.raw(eventColumns)}, transaction_id as commit_order, position as insert_order
      from events
      where transaction_id < settled.xmin
        and (transaction_id, position) > (${cursor.transactionId.toString()}::xid8, ${cursor.position.toString()}::bigint)
        ${prefixFilter}
      -- Qualified, so that it is the xid8 and bigint columns (and their index), not the text ones selected above.
      order by events.transaction_id, events.position
      limit ${maxCount}
    ) page on true
    order by page.commit_order, page.insert_order`.execute(db);

  const rows = result.rows;
  const horizon: PostgresCursor = { transactionId: BigInt(rows[0]!.horizon), position: 0n };
  const events = rows.filter((row) => row.event_id !== null).map(toRecordedEvent);
  return { events, horizon };
}
