import { sql, type Kysely } from 'kysely';
import { chainHash, contentHash, genesisHash } from '../../domain/audit/event-hash.js';

interface UnhashedRow {
  position: string;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
  recorded_micros: string;
}

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
    const { rows } = await sql<UnhashedRow>`
      select position::text as position, stream_name, stream_revision::text as stream_revision,
        event_id::text as event_id, event_type, data, metadata,
        (extract(epoch from recorded_at) * 1000000)::bigint::text as recorded_micros
      from events ${from} order by stream_name, stream_revision limit ${pageSize}`.execute(db);
    if (rows.length === 0) break;
    const positions: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      if (row.stream_revision === '0') previous = genesisHash;
      const content = contentHash({
        streamName: row.stream_name,
        id: row.event_id,
        type: row.event_type,
        data: row.data,
        metadata: row.metadata,
      });
      previous = chainHash(previous, content, BigInt(row.stream_revision), BigInt(row.recorded_micros));
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
