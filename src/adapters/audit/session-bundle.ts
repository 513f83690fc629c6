import { sql, type Kysely } from 'kysely';
import { canonicalJson } from '../../domain/audit/canonical-json.js';
import { merkleProof, sortHeads, type StreamHead } from '../../domain/audit/merkle-tree.js';
import type { DatabaseSchema } from '../db/schema.js';

export const bundleVersion = 'zapledger-bundle-1';

interface AnchoredStream {
  stream_name: string;
  anchor_sequence: string;
  revision: string;
  hash: string;
}

interface BundleEventRow {
  stream_name: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
  recorded_micros: string;
  hash: string;
}

/**
 * Writes a session's history as a bundle a third party can check offline with scripts/verify-bundle.mjs: one
 * canonical JSON line each for the header, the anchors used, every event of the session stream and of its chat
 * streams up to the head an anchor signed (anchor first, so that it covers everything), and, after each stream's
 * events, the Merkle path from its head to the anchor's root. Lines are canonical JSON so that no byte can change
 * without the verifier noticing. Read in one snapshot, a page at a time. The events come from the PostgreSQL
 * store's table unless `readEvents` gives them (EventStoreDB: eventstoredb-bundle-events.ts).
 */
export async function writeSessionBundle(
  db: Kysely<DatabaseSchema>,
  sessionId: string,
  write: (line: string) => Promise<void>,
  readEvents?: BundleEventSource,
): Promise<{ streams: number; events: number }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { rows: streams } = await sql<AnchoredStream>`
        select distinct on (heads.stream_name) heads.stream_name, heads.anchor_sequence::text as anchor_sequence,
          heads.revision::text as revision, encode(heads.hash, 'hex') as hash
        from audit_anchor_heads heads
        where heads.stream_name = ${`session-${sessionId}`} or starts_with(heads.stream_name, ${`chat-${sessionId}_`})
        order by heads.stream_name, heads.anchor_sequence desc`.execute(trx);
      await write(canonicalJson({ kind: 'bundle', sessionId, version: bundleVersion }));
      const proofs = await anchorProofs(trx, streams, write);
      let events = 0;
      for (const stream of streams) {
        for await (const event of (readEvents ?? postgresEvents(trx))(
          stream.stream_name,
          BigInt(stream.revision),
        )) {
          await write(canonicalJson({ ...event, kind: 'event' }));
          events += 1;
        }
        await write(canonicalJson(proofs.get(stream.stream_name)));
      }
      return { streams: streams.length, events };
    });
}

/** Writes each anchor the streams need, and answers each stream's proof line. */
async function anchorProofs(
  db: Kysely<DatabaseSchema>,
  streams: readonly AnchoredStream[],
  write: (line: string) => Promise<void>,
): Promise<Map<string, unknown>> {
  const proofs = new Map<string, unknown>();
  const sequences = [...new Set(streams.map((stream) => stream.anchor_sequence))];
  for (const sequence of sequences) {
    const anchor = await db
      .selectFrom('audit_anchors')
      .select(['payload', 'signature'])
      .where('sequence', '=', sequence)
      .executeTakeFirstOrThrow();
    await write(
      canonicalJson({
        kind: 'anchor',
        payload: anchor.payload,
        sequence: Number(sequence),
        signature: Buffer.from(anchor.signature, 'base64').toString('hex'),
      }),
    );
    const { rows } = await sql<{ stream_name: string; revision: string; hash: string }>`
      select stream_name, revision::text as revision, encode(hash, 'hex') as hash
      from audit_anchor_heads where anchor_sequence = ${sequence}::bigint`.execute(db);
    const heads: StreamHead[] = sortHeads(
      rows.map((row) => ({ streamName: row.stream_name, revision: BigInt(row.revision), hash: row.hash })),
    );
    const index = new Map(heads.map((head, at) => [head.streamName, at]));
    for (const stream of streams.filter((s) => s.anchor_sequence === sequence))
      proofs.set(stream.stream_name, {
        anchor: Number(sequence),
        hash: stream.hash,
        kind: 'proof',
        path: merkleProof(heads, index.get(stream.stream_name)!),
        revision: stream.revision,
        stream: stream.stream_name,
      });
  }
  return proofs;
}

/** An event as a bundle holds it: as stored (sealed fields stay sealed: the hash covers them so). */
export interface BundleEvent {
  data: unknown;
  /** Hex chain hash. */
  hash: string;
  id: string;
  metadata: unknown;
  recordedAtMicros: string;
  revision: string;
  stream: string;
  type: string;
}

/** A stream's events from its first to `lastRevision`, in order: the PostgreSQL store's or EventStoreDB's. */
export type BundleEventSource = (streamName: string, lastRevision: bigint) => AsyncIterable<BundleEvent>;

const postgresEvents = (db: Kysely<DatabaseSchema>, pageSize = 1000): BundleEventSource =>
  async function* (streamName, lastRevision) {
    let from = 0n;
    for (;;) {
      const { rows } = await sql<BundleEventRow>`
        select stream_name, stream_revision::text as stream_revision, event_id::text as event_id, event_type, data,
          metadata, (extract(epoch from recorded_at) * 1000000)::bigint::text as recorded_micros,
          encode(hash, 'hex') as hash
        from events
        where stream_name = ${streamName} and stream_revision >= ${from.toString()}::bigint
          and stream_revision <= ${lastRevision.toString()}::bigint
        order by events.stream_revision limit ${pageSize}`.execute(db);
      for (const row of rows)
        yield {
          data: row.data,
          hash: row.hash,
          id: row.event_id,
          metadata: row.metadata,
          recordedAtMicros: row.recorded_micros,
          revision: row.stream_revision,
          stream: row.stream_name,
          type: row.event_type,
        };
      if (rows.length < pageSize) return;
      from = BigInt(rows.at(-1)!.stream_revision) + 1n;
    }
  };
