import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import type { RecordedEvent } from '../port.js';
import { batchWhileBusy } from './batch-while-busy.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-rows.js';

interface PendingRead {
  streamName: string;
  fromRevision: bigint;
  resolve: (events: RecordedEvent[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Forward reads of whole streams (or their tails) that arrive while a read is in flight wait and then go
 * together, as one query, like appends in group commit: a gateway recording messages in thousands of chats
 * reads their streams in a few round trips instead of one each.
 */
export function createGroupRead(db: Kysely<DatabaseSchema>, maxStreams = 500) {
  const enqueue = batchWhileBusy<PendingRead>(
    (queue) => queue.splice(0, maxStreams),
    async (group) => {
      try {
        const events = await readMany(db, group);
        for (const [index, pending] of group.entries()) pending.resolve(events[index]!);
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    },
  );
  return (streamName: string, fromRevision = 0n) =>
    new Promise<RecordedEvent[]>((resolve, reject) => enqueue({ streamName, fromRevision, resolve, reject }));
}

async function readMany(
  db: Kysely<DatabaseSchema>,
  group: readonly PendingRead[],
): Promise<RecordedEvent[][]> {
  const { rows } = await sql<EventRow & { request: string }>`
    select wanted.request::text as request, ${sql.raw(eventColumns)}
    from unnest(${group.map((r) => r.streamName)}::text[], ${group.map((r) => r.fromRevision.toString())}::bigint[])
      with ordinality as wanted(wanted_stream, wanted_from, request)
    join events on events.stream_name = wanted.wanted_stream and events.stream_revision >= wanted.wanted_from
    order by wanted.request, events.stream_revision`.execute(db);
  const events: RecordedEvent[][] = group.map(() => []);
  for (const row of rows) events[Number(row.request) - 1]!.push(toRecordedEvent(row));
  return events;
}
