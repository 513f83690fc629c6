/** Remembers ids seen within a time window, up to a count: the memory bus's duplicate detection. */
export interface RecentIds {
  /** Records `id`; false when it was already seen within the window. */
  add(id: string): boolean;
}

export function createRecentIds(windowMs: number, maxIds: number, now = Date.now): RecentIds {
  // A Map iterates in insertion order, so the oldest ids are always first.
  const seenAt = new Map<string, number>();

  function forgetOld(at: number): void {
    for (const [id, time] of seenAt) {
      if (seenAt.size <= maxIds && at - time < windowMs) return;
      seenAt.delete(id);
    }
  }

  return {
    add(id) {
      const at = now();
      forgetOld(at);
      if (seenAt.has(id)) return false;
      seenAt.set(id, at);
      forgetOld(at);
      return true;
    },
  };
}
