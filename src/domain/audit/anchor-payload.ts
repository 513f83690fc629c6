import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const anchorVersion = 'zapledger-anchor-1';

/**
 * What an anchor signs: the Merkle root over the heads of the streams that changed since the previous anchor,
 * and the hash of the previous anchor's payload, so that anchors form a chain of their own and none can be
 * removed or reordered unseen.
 */
export interface AnchorPayload {
  version: typeof anchorVersion;
  sequence: number;
  createdAt: string;
  headCount: number;
  /** Hex Merkle root (merkle-tree.ts). */
  headsRoot: string;
  /** Hex SHA-256 of the previous anchor's payload bytes; null for the first anchor. */
  previous: string | null;
  /** Base64 raw 32-byte Ed25519 public key that signed it. */
  publicKey: string;
}

/** The bytes that are signed and chained: the payload's canonical JSON, UTF-8. */
export function anchorPayloadBytes(payload: AnchorPayload): Buffer {
  return Buffer.from(canonicalJson(payload), 'utf8');
}

/** Hex SHA-256 of a payload's bytes: what the next anchor names as `previous`. */
export function anchorHash(payloadText: string): string {
  return createHash('sha256').update(payloadText, 'utf8').digest('hex');
}
