import { sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import { WrongExpectedVersionError } from '../errors.js';
import type { ActualRevision, AppendResult, EventToAppend, ExpectedRevision } from '../port.js';

export const eventsChannel = 'zapledger_events';

/**
 * Appends in one transaction. The stream's row in `streams` is locked first, so concurrent writers to one
 * stream queue up and each sees the revision the previous one left; ids are checked for duplicates after the
 * lock, so two deliveries of the same WhatsApp callback cannot both pass.
 */
export async function appendToStream(
  db: Kysely<DatabaseSchema>,
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  return db.transaction().execute(async (trx) => {
    const current = await lockStream(trx, streamName);
    const ids = events.map((e) => e.id);
    const stored = ids.length
      ? await trx
          .selectFrom('events')
          .select(sql<string>`event_id::text`.as('id'))
          .where('event_id', 'in', ids)
          .execute()
      : [];
    const storedIds = new Set(stored.map((row) => row.id));
    const fresh = events.filter((e) => !storedIds.has(e.id));

    if (events.length > 0 && fresh.length === 0) {
      return { nextExpectedRevision: current === 'no_stream' ? -1n : current, appended: 0 };
    }
    if (!matches(expected, current)) throw new WrongExpectedVersionError(streamName, expected, current);
    if (fresh.length === 0)
      return { nextExpectedRevision: current === 'no_stream' ? -1n : current, appended: 0 };

    const first = current === 'no_stream' ? 0n : current + 1n;
    const last = first + BigInt(fresh.length - 1);
    await trx
      .insertInto('events')
      .values(
        fresh.map((e, i) => ({
          event_id: e.id,
          stream_name: streamName,
          stream_revision: String(first + BigInt(i)),
          event_type: e.type,
          data: sql`${JSON.stringify(e.data)}::jsonb`,
          metadata: sql`${JSON.stringify(e.metadata)}::jsonb`,
        })),
      )
      .execute();
    await trx
      .updateTable('streams')
      .set({ revision: String(last) })
      .where('stream_name', '=', streamName)
      .execute();
    // Delivered at commit: a wake-up for subscribers, who also poll in case it is missed.
    await sql`select pg_notify(${eventsChannel}, '')`.execute(trx);
    return { nextExpectedRevision: last, appended: fresh.length };
  });
}

async function lockStream(trx: Transaction<DatabaseSchema>, streamName: string): Promise<ActualRevision> {
  // -1 marks a stream that has no events yet; the row vanishes with the transaction if nothing is appended.
  await trx
    .insertInto('streams')
    .values({ stream_name: streamName, revision: '-1' })
    .onConflict((oc) => oc.column('stream_name').doNothing())
    .execute();
  const row = await trx
    .selectFrom('streams')
    .select(sql<string>`revision::text`.as('revision'))
    .where('stream_name', '=', streamName)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const revision = BigInt(row.revision);
  return revision < 0n ? 'no_stream' : revision;
}

function matches(expected: ExpectedRevision, actual: ActualRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}
