import { describe, expect, it } from 'vitest';
import { merkleProof, merkleRoot, rootFromProof, sortHeads, type StreamHead } from './merkle-tree.js';

const heads = (count: number): StreamHead[] =>
  sortHeads(
    Array.from({ length: count }, (_, i) => ({
      streamName: `chat-s_${i}`,
      revision: BigInt(i),
      hash: i.toString(16).padStart(64, '0'),
    })),
  );

describe('the Merkle tree over stream heads', () => {
  it.each([1, 2, 3, 7, 8, 33])('proves every one of %i heads against the root', (count) => {
    const sorted = heads(count);
    const root = merkleRoot(sorted);
    for (const [index, head] of sorted.entries())
      expect(rootFromProof(head, merkleProof(sorted, index))).toBe(root);
  });

  it('does not prove a head that was changed', () => {
    const sorted = heads(5);
    const changed = { ...sorted[2]!, revision: 99n };
    expect(rootFromProof(changed, merkleProof(sorted, 2))).not.toBe(merkleRoot(sorted));
  });

  it('has a root that depends on every head', () =>
    expect(merkleRoot(heads(4))).not.toBe(merkleRoot(heads(4).slice(0, 3))));
});
