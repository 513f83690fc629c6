export interface PacingSettings {
  /** Sends per second per session; 0 turns pacing off. */
  ratePerSecond: number;
  /** How many sends may go at once before the rate applies. */
  burst: number;
  /** At least this long between two sends to the same recipient. */
  minIntervalPerChatMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Spreads a burst out instead of refusing it: a token bucket per session, and a minimum interval per
 * recipient. Callers of one session wait in the order they asked.
 */
export function createSendPacing(settings: PacingSettings) {
  const buckets = new Map<string, { tokens: number; updatedAt: number; tail: Promise<void> }>();
  const lastSentToChat = new Map<string, number>();

  async function takeToken(bucket: { tokens: number; updatedAt: number }): Promise<void> {
    const now = Date.now();
    bucket.tokens = Math.min(
      settings.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * settings.ratePerSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      await sleep(((1 - bucket.tokens) / settings.ratePerSecond) * 1000);
      bucket.tokens = 1;
      bucket.updatedAt = Date.now();
    }
    bucket.tokens -= 1;
  }

  return {
    /** Resolves when the session may send to the chat. */
    take(sessionId: string, chatJid: string): Promise<void> {
      if (settings.ratePerSecond <= 0 && settings.minIntervalPerChatMs <= 0) return Promise.resolve();
      let bucket = buckets.get(sessionId);
      if (!bucket)
        buckets.set(
          sessionId,
          (bucket = { tokens: settings.burst, updatedAt: Date.now(), tail: Promise.resolve() }),
        );
      const chatKey = `${sessionId}:${chatJid}`;
      const turn = bucket.tail.then(async () => {
        if (settings.ratePerSecond > 0) await takeToken(bucket);
        const wait = (lastSentToChat.get(chatKey) ?? 0) + settings.minIntervalPerChatMs - Date.now();
        if (wait > 0) await sleep(wait);
        lastSentToChat.set(chatKey, Date.now());
      });
      bucket.tail = turn;
      return turn;
    },
  };
}
