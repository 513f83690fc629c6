import { sql, type Kysely } from 'kysely';
import { genesisHash } from '../../domain/audit/event-hash.js';
import { chainHashOfRow, storedEventColumns, type StoredEventRow } from './stored-event-row.js';
import type { DatabaseSchema } from '../db/schema.js';
import { chainBreak, type ChainBreak } from './chain-break.js';

interface ChainRow extends StoredEventRow {
  hash: string | null;
}

interface StreamRow {
  stream_name: string;
  revision: string;
  head_hash: string | null;
  anchored_revision: string;
}

export interface ChainsChecked {
  events: number;
  streams: number;
  anchoredEvents: number;
  firstBreak: ChainBreak | null;
}

/** A stream being walked: where it must go on, and what its row and anchors say it ends with. */
interface Walk {
  streamName: string;
  nextRevision: bigint;
  previous: Buffer;
  row: StreamRow | undefined;
  anchoredHeads: Map<string, string>;
}

/**
 * Walks every stream in revision order, a page at a time, recomputing each event's content and chain hash (see
 * src/domain/audit/event-hash.ts). A changed event breaks its own hash, a removed or inserted one the revision
 * sequence or the chain, swapped revisions both; the stream row's head and every anchored head must be met on
 * the way, so that a stream cut short after its head, or rewritten below an anchor, is caught too.
 * Run it in a snapshot (repeatable read), so that appends made meanwhile do not look like breaks.
 */
export async function verifyEventChains(db: Kysely<DatabaseSchema>, pageSize = 5000): Promise<ChainsChecked> {
  const checked: ChainsChecked = { events: 0, streams: 0, anchoredEvents: 0, firstBreak: null };
  let walk = null as Walk | null;
  // The next page is read while this one is hashed: the database and the hashing work at the same time.
  let next = readPage(db, null, pageSize);
  for (;;) {
    const { rows, streams, heads } = await next;
    if (rows.length === 0) break;
    next = readPage(db, rows.at(-1)!, pageSize);
    const stop = (firstBreak: ChainBreak) => {
      next.catch(() => undefined);
      return { ...checked, firstBreak };
    };
    for (const row of rows) {
      if (walk?.streamName !== row.stream_name) {
        const ended: ChainBreak | null = walk ? endOf(walk) : null;
        if (ended) return stop(ended);
        checked.streams += 1;
        walk = {
          streamName: row.stream_name,
          nextRevision: 0n,
          previous: genesisHash,
          row: streams.get(row.stream_name),
          anchoredHeads: heads.get(row.stream_name) ?? new Map<string, string>(),
        };
      }
      const broken = step(walk, row);
      if (broken) return stop(broken);
      checked.events += 1;
      if (walk.row && BigInt(row.stream_revision) <= BigInt(walk.row.anchored_revision))
        checked.anchoredEvents += 1;
    }
  }
  const ended = walk ? endOf(walk) : null;
  return { ...checked, firstBreak: ended ?? (await streamsWithoutEvents(db)) };
}

function step(walk: Walk, row: ChainRow): ChainBreak | null {
  const at = {
    streamName: row.stream_name,
    revision: row.stream_revision,
    eventId: row.event_id,
    position: row.position,
  };
  const revision = BigInt(row.stream_revision);
  if (revision !== walk.nextRevision)
    return chainBreak({
      ...at,
      problem: `revision ${revision} follows ${walk.nextRevision - 1n}: events are missing or were inserted`,
    });
  const expected = chainHashOfRow(walk.previous, row);
  const expectedHex = expected.toString('hex');
  if (row.hash === null)
    return chainBreak({ ...at, problem: 'the event has no hash: the store did not write it' });
  if (row.hash !== expectedHex)
    return chainBreak({
      ...at,
      problem: 'the hash does not match the event: it, or an event before it in the stream, was changed',
    });
  const anchored = walk.anchoredHeads.get(row.stream_revision);
  if (anchored !== undefined && anchored !== expectedHex)
    return chainBreak({ ...at, problem: 'the event differs from the head an anchor signed' });
  walk.previous = expected;
  walk.nextRevision = revision + 1n;
  return null;
}

function endOf(walk: Walk): ChainBreak | null {
  const last = (walk.nextRevision - 1n).toString();
  const at = { streamName: walk.streamName, revision: last };
  const hex = walk.previous.toString('hex');
  if (!walk.row || walk.row.revision !== last || walk.row.head_hash !== hex)
    return chainBreak({
      ...at,
      problem: `the stream ends at revision ${last}, but its head says ${walk.row?.revision ?? 'nothing'}: events were removed or added`,
    });
  const beyond = [...walk.anchoredHeads.keys()].find((revision) => BigInt(revision) > BigInt(last));
  if (beyond !== undefined)
    return chainBreak({ ...at, problem: `an anchor signed revision ${beyond}, which is no longer stored` });
  return null;
}

/** A page of events in (stream, revision) order, with the rows and anchored heads of its streams. */
async function readPage(db: Kysely<DatabaseSchema>, after: ChainRow | null, limit: number) {
  const rows = await readEvents(db, after, limit);
  const names = [...new Set(rows.map((row) => row.stream_name))];
  if (names.length === 0)
    return { rows, streams: new Map<string, StreamRow>(), heads: new Map<string, Map<string, string>>() };
  const [streams, heads] = await Promise.all([readStreams(db, names), readAnchoredHeads(db, names)]);
  return { rows, streams, heads };
}

async function readEvents(db: Kysely<DatabaseSchema>, after: ChainRow | null, limit: number) {
  const from = after
    ? sql`where (stream_name, stream_revision) > (${after.stream_name}, ${after.stream_revision}::bigint)`
    : sql``;
  const { rows } = await sql<ChainRow>`
    select ${storedEventColumns}, encode(hash, 'hex') as hash
    from events ${from}
    -- Qualified: the bigint column and the (stream_name, stream_revision) index, not the text selected above.
    order by events.stream_name, events.stream_revision limit ${limit}`.execute(db);
  return rows;
}

async function readStreams(db: Kysely<DatabaseSchema>, names: string[]): Promise<Map<string, StreamRow>> {
  const { rows } = await sql<StreamRow>`
    select stream_name, revision::text as revision, encode(head_hash, 'hex') as head_hash,
      anchored_revision::text as anchored_revision
    from streams where stream_name = any (${names}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.stream_name, row]));
}

async function readAnchoredHeads(db: Kysely<DatabaseSchema>, names: string[]) {
  const { rows } = await sql<{ stream_name: string; revision: string; hash: string }>`
    select stream_name, revision::text as revision, encode(hash, 'hex') as hash
    from audit_anchor_heads where stream_name = any (${names}::text[])`.execute(db);
  const heads = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const ofStream = heads.get(row.stream_name) ?? new Map<string, string>();
    ofStream.set(row.revision, row.hash);
    heads.set(row.stream_name, ofStream);
  }
  return heads;
}

/** A stream whose row or anchored head remains when every one of its events was removed. */
async function streamsWithoutEvents(db: Kysely<DatabaseSchema>): Promise<ChainBreak | null> {
  const { rows } = await sql<{ stream_name: string; revision: string }>`
    select stream_name, revision::text as revision from (
      select stream_name, revision from streams where revision >= 0
      union all
      select stream_name, revision from audit_anchor_heads
    ) known
    where not exists (select 1 from events where events.stream_name = known.stream_name)
    order by stream_name limit 1`.execute(db);
  const orphan = rows[0];
  return orphan
    ? chainBreak({
        streamName: orphan.stream_name,
        revision: orphan.revision,
        problem: 'the stream has no events left, but its head or an anchor says it had',
      })
    : null;
}
