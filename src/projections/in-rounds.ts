/**
 * Splits items (in their order) into rounds that can each be written by one statement: two items that share a
 * key never meet in one round, and an item comes in a later round than every earlier item it shares a key with.
 * Applying the rounds one after another therefore gives the same rows as applying the items one by one.
 */
export function inRounds<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): T[][] {
  const rounds: T[][] = [];
  const lastRoundOf = new Map<string, number>();
  for (const item of items) {
    const keys = keysOf(item);
    const round = Math.max(-1, ...keys.map((key) => lastRoundOf.get(key) ?? -1)) + 1;
    for (const key of keys) lastRoundOf.set(key, round);
    (rounds[round] ??= []).push(item);
  }
  return rounds;
}

/** Splits `items` into consecutive slices of at most `size` (statements have a limit on parameters). */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
