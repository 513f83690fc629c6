import { sql, type Kysely } from 'kysely';
import { genesisHash } from '../../domain/audit/event-hash.js';
import { chainHashOfRow, storedEventColumns, type StoredEventRow } from './stored-event-row.js';

/**
 * Gives every event stored before hashing existed its chain hash, stream by stream in revision order, and each
 * stream its head; run once by migration 0015 (which lifts the immutability trigger for it), a page at a time.
 */
export async function backfillEventHashes<T>(db: Kysely<T>, pageSize = 2000): Promise<number> {
  let after: { stream: string; revision: string } | null = null;
  let previous: Buffer = genesisHash;
  let hashed = 0;
  for (;;) {
    const from: ReturnType<typeof sql> = after
      ? sql`where (stream_name, stream_revision) > (${after.stream}, ${after.revision}::bigint)`
      : sql``;
    const { rows } = await sql<StoredEventRow>`
      select ${storedEventColumns}
      from events ${from} order by stream_name, stream_revision limit ${pageSize}`.execute(db);
    if (rows.length === 0) break;
    const positions: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      if (row.stream_revision === '0') previous = genesisHash;
      previous = chainHashOfRow(previous, row);
      positions.push(row.position);
      hashes.push(previous.toString('hex'));
    }
    await sql`
      update events set hash = decode(fresh.hash, 'hex')
      from unnest(${positions}::bigint[], ${hashes}::text[]) as fresh(position, hash)
      where events.position = fresh.position`.execute(db);
    hashed += rows.length;
    const last = rows.at(-1)!;
    after = { stream: last.stream_name, revision: last.stream_revision };
  }
  await sql`
    update streams set head_hash = events.hash
    from events where events.stream_name = streams.stream_name and events.stream_revision = streams.revision`.execute(
    db,
  );
  return hashed;
}
