import { verify } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { anchorHash, anchorVersion, type AnchorPayload } from '../../domain/audit/anchor-payload.js';
import { merkleRoot, sortHeads } from '../../domain/audit/merkle-tree.js';
import type { DatabaseSchema } from '../db/schema.js';
import { chainBreak, type ChainBreak } from './chain-break.js';
import { publicKeyFromBase64 } from './ed25519-keys.js';

export interface AnchorsChecked {
  anchors: number;
  publicKeys: string[];
  firstBreak: ChainBreak | null;
}

/**
 * Checks the anchors in order: each is signed by the key it names (and, when given, by the expected key), names
 * the previous anchor's hash, and its Merkle root is that of the heads stored with it. Whether those heads are
 * still the streams' events is checked by verifyEventChains.
 */
export async function verifyAnchors(
  db: Kysely<DatabaseSchema>,
  expectedPublicKey?: string,
  pageSize = 100,
): Promise<AnchorsChecked> {
  const publicKeys = new Set<string>();
  let previousPayload: string | null = null;
  let count = 0;
  for (;;) {
    const anchors = await db
      .selectFrom('audit_anchors')
      .select(['sequence', 'payload', 'signature', 'public_key'])
      .where('sequence', '>', String(count))
      .orderBy('sequence')
      .limit(pageSize)
      .execute();
    for (const anchor of anchors) {
      const sequence = Number(anchor.sequence);
      const broken = (problem: string) => ({
        anchors: count,
        publicKeys: [...publicKeys],
        firstBreak: chainBreak({ anchor: sequence, problem }),
      });
      if (sequence !== count + 1) return broken(`anchor ${count + 1} is missing`);
      const payload = parsePayload(anchor.payload);
      if (!payload || payload.version !== anchorVersion || payload.sequence !== sequence)
        return broken('the anchor payload is not a well-formed anchor of this sequence');
      if (payload.publicKey !== anchor.public_key)
        return broken('the anchor names another key than it is stored with');
      if (expectedPublicKey !== undefined && payload.publicKey !== expectedPublicKey)
        return broken(`the anchor is signed by ${payload.publicKey}, not by the expected key`);
      const signed = verify(
        null,
        Buffer.from(anchor.payload, 'utf8'),
        publicKeyFromBase64(payload.publicKey),
        Buffer.from(anchor.signature, 'base64'),
      );
      if (!signed) return broken('the signature does not match the anchor');
      const expectedPrevious = previousPayload === null ? null : anchorHash(previousPayload);
      if (payload.previous !== expectedPrevious)
        return broken('the anchor does not follow the previous anchor');
      const { rows: heads } = await sql<{ stream_name: string; revision: string; hash: string }>`
        select stream_name, revision::text as revision, encode(hash, 'hex') as hash
        from audit_anchor_heads where anchor_sequence = ${anchor.sequence}::bigint`.execute(db);
      const root = merkleRoot(
        sortHeads(
          heads.map((head) => ({
            streamName: head.stream_name,
            revision: BigInt(head.revision),
            hash: head.hash,
          })),
        ),
      );
      if (heads.length !== payload.headCount || root !== payload.headsRoot)
        return broken('the heads stored with the anchor are not those it signed');
      publicKeys.add(payload.publicKey);
      previousPayload = anchor.payload;
      count = sequence;
    }
    if (anchors.length < pageSize) return { anchors: count, publicKeys: [...publicKeys], firstBreak: null };
  }
}

function parsePayload(text: string): AnchorPayload | null {
  try {
    return JSON.parse(text) as AnchorPayload;
  } catch {
    return null;
  }
}
