import { FORWARDS, START, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import { chainHash, contentHash, genesisHash } from '../../domain/audit/event-hash.js';
import type { DatabaseSchema } from '../db/schema.js';
import { auditChainOf, withoutAuditChain } from '../event-store/eventstoredb/audit-chain-metadata.js';
import type { JsonObject } from '../event-store/port.js';
import { isSystemEvent } from '../event-store/eventstoredb/to-recorded-event.js';
import { chainBreak, type ChainBreak, type VerificationReport } from './chain-break.js';
import { verifyAnchors } from './verify-anchors.js';

export interface EventStoreDbVerifyOptions {
  /** The read-model database that keeps the anchors (eventstoredb-anchors.ts); without it, chains only. */
  db?: Kysely<DatabaseSchema>;
  /** When given, every anchor must be signed by this key (base64 raw 32 bytes). */
  expectedPublicKey?: string;
}

interface SignedHead {
  anchor: number;
  hash: string;
}

/**
 * Verifies every stream's chain on EventStoreDB (see audit-chain-metadata.ts), reading `$all` as a stream (never
 * whole) and keeping only each stream's last revision and hash; then, with the database, the signed anchors
 * (verify-anchors.ts) and that every head they signed is still the hash of that event of that stream, so that a
 * stream rewritten (deleted and written again, hashes recomputed) or cut short is named.
 */
export async function verifyEventStoreDbStore(
  client: EventStoreDBClient,
  options: EventStoreDbVerifyOptions = {},
): Promise<VerificationReport> {
  const anchors = options.db
    ? await verifyAnchors(options.db, options.expectedPublicKey)
    : { anchors: 0, publicKeys: [], firstBreak: null };
  const signed = options.db ? await signedHeads(options.db) : new Map<string, Map<bigint, SignedHead>>();
  const heads = new Map<string, { revision: bigint; hash: Buffer }>();
  let events = 0;
  let anchoredEvents = 0;
  const report = (firstBreak: ChainBreak | null): VerificationReport => ({
    events,
    streams: heads.size,
    anchors: anchors.anchors,
    anchoredEvents,
    publicKeys: anchors.publicKeys,
    firstBreak,
  });
  if (anchors.firstBreak) return report(anchors.firstBreak);
  const lastSigned = new Map([...signed].map(([stream, at]) => [stream, maxOf(at.keys())]));
  for await (const resolved of client.readAll({
    fromPosition: START,
    direction: FORWARDS,
  }) as AsyncIterable<AllStreamResolvedEvent>) {
    const event = resolved.event;
    if (!event || isSystemEvent(event)) continue;
    const at = {
      streamName: event.streamId,
      revision: event.revision.toString(),
      eventId: event.id,
      position: event.position?.commit.toString() ?? null,
    };
    const head = heads.get(event.streamId);
    const expectedRevision = head ? head.revision + 1n : 0n;
    if (event.revision !== expectedRevision)
      return report(
        chainBreak({ ...at, problem: `revision ${event.revision} follows ${expectedRevision - 1n}` }),
      );
    const link = auditChainOf(event.metadata);
    if (!link)
      return report(chainBreak({ ...at, problem: 'the event has no hash: the store did not write it' }));
    const metadata = withoutAuditChain((event.metadata ?? {}) as JsonObject);
    const content = contentHash({
      streamName: event.streamId,
      id: event.id,
      type: event.type,
      data: event.data,
      metadata,
    });
    const hash = chainHash(head?.hash ?? genesisHash, content, event.revision, BigInt(link.recordedAtMicros));
    if (hash.toString('hex') !== link.hash)
      return report(chainBreak({ ...at, problem: 'the hash does not match the event or the one before it' }));
    const signedHere = signed.get(event.streamId)?.get(event.revision);
    if (signedHere && signedHere.hash !== link.hash)
      return report(
        chainBreak({
          ...at,
          anchor: signedHere.anchor,
          problem: `anchor ${signedHere.anchor} signed another hash for this event: the stream was rewritten`,
        }),
      );
    signed.get(event.streamId)?.delete(event.revision);
    heads.set(event.streamId, { revision: event.revision, hash });
    events += 1;
    if (event.revision <= (lastSigned.get(event.streamId) ?? -1n)) anchoredEvents += 1;
  }
  for (const [streamName, missing] of signed)
    for (const [revision, head] of missing)
      return report(
        chainBreak({
          streamName,
          revision: revision.toString(),
          anchor: head.anchor,
          problem: `anchor ${head.anchor} signed this event, and the stream no longer has it`,
        }),
      );
  return report(null);
}

/** Every head an anchor signed, by stream and revision (a few per stream and anchor interval). */
async function signedHeads(db: Kysely<DatabaseSchema>): Promise<Map<string, Map<bigint, SignedHead>>> {
  const { rows } = await sql<{
    anchor_sequence: string;
    stream_name: string;
    revision: string;
    hash: string;
  }>`
    select anchor_sequence::text as anchor_sequence, stream_name, revision::text as revision,
      encode(hash, 'hex') as hash
    from audit_anchor_heads order by anchor_sequence, stream_name`.execute(db);
  const signed = new Map<string, Map<bigint, SignedHead>>();
  for (const row of rows) {
    const ofStream = signed.get(row.stream_name) ?? new Map<bigint, SignedHead>();
    ofStream.set(BigInt(row.revision), { anchor: Number(row.anchor_sequence), hash: row.hash });
    signed.set(row.stream_name, ofStream);
  }
  return signed;
}

function maxOf(values: Iterable<bigint>): bigint {
  let max = -1n;
  for (const value of values) if (value > max) max = value;
  return max;
}
