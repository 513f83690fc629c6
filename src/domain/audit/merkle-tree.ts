import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** A stream's head as an anchor records it: its last revision and that event's chain hash. */
export interface StreamHead {
  streamName: string;
  revision: bigint;
  /** Hex. */
  hash: string;
}

/** One step from a leaf up to the root: the sibling's hash (hex) and on which side it sits. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** A leaf: SHA-256 of 0x00 then the canonical JSON `[streamName, revision as text, hash]`. */
export function leafHash(head: StreamHead): Buffer {
  const canonical = canonicalJson([head.streamName, head.revision.toString(), head.hash]);
  return sha256(Buffer.from([0]), Buffer.from(canonical, 'utf8'));
}

/** An inner node: SHA-256 of 0x01, the left child, the right child (the prefixes keep leaves and nodes apart). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

/** Heads in the order a tree is built over them: by stream name, UTF-16 code units. */
export function sortHeads(heads: readonly StreamHead[]): StreamHead[] {
  return [...heads].sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0));
}

/**
 * The levels of the tree over the sorted leaves, leaves first, root last. A node without a sibling moves up
 * unchanged. An empty tree's root is 32 zero bytes.
 */
function levels(leaves: Buffer[]): Buffer[][] {
  const all = [leaves.length ? leaves : [Buffer.alloc(32)]];
  while (all.at(-1)!.length > 1) {
    const below = all.at(-1)!;
    const above: Buffer[] = [];
    for (let i = 0; i < below.length; i += 2)
      above.push(i + 1 < below.length ? nodeHash(below[i]!, below[i + 1]!) : below[i]!);
    all.push(above);
  }
  return all;
}

/** The Merkle root (hex) over heads, which must be sorted with `sortHeads`. */
export function merkleRoot(sortedHeads: readonly StreamHead[]): string {
  return levels(sortedHeads.map(leafHash)).at(-1)![0]!.toString('hex');
}

/** The path from the head at `index` of the sorted heads to the root. */
export function merkleProof(sortedHeads: readonly StreamHead[], index: number): ProofStep[] {
  const steps: ProofStep[] = [];
  let at = index;
  for (const level of levels(sortedHeads.map(leafHash)).slice(0, -1)) {
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    if (sibling < level.length)
      steps.push({ side: at % 2 === 0 ? 'right' : 'left', hash: level[sibling]!.toString('hex') });
    at = Math.floor(at / 2);
  }
  return steps;
}

/** The root a proof leads to from a head: equal to the anchor's root when the head is in it. */
export function rootFromProof(head: StreamHead, steps: readonly ProofStep[]): string {
  let hash = leafHash(head);
  for (const step of steps) {
    const sibling = Buffer.from(step.hash, 'hex');
    hash = step.side === 'left' ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
  }
  return hash.toString('hex');
}
