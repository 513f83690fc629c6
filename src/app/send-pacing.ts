export interface PacingSettings {
  /** Sends per second per session; 0 turns pacing off. */
  ratePerSecond: number;
  /** How many sends may go at once before the rate applies. */
  burst: number;
  /** At least this long between two sends to the same recipient. */
  minIntervalPerChatMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Bucket {
  tokens: number;
  updatedAt: number;
  tail: Promise<void>;
  waiting: number;
}

/**
 * Spreads a burst out instead of refusing it: a token bucket per session, and a minimum interval per
 * recipient. A send waits for its recipient's interval before it queues for its session's token, so one
 * recipient's wait never holds back sends to the others (sends to one recipient are already one at a time).
 * Callers of one session take tokens in the order they asked. What is remembered is bounded: a session whose
 * bucket is full again and a recipient past its interval are forgotten.
 */
export function createSendPacing(settings: PacingSettings) {
  const buckets = new Map<string, Bucket>();
  const lastSentToChat = new Map<string, number>();
  let nextSweep = 0;

  function refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(
      settings.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * settings.ratePerSecond,
    );
    bucket.updatedAt = now;
  }

  async function takeToken(bucket: Bucket): Promise<void> {
    refill(bucket, Date.now());
    if (bucket.tokens < 1) {
      await sleep(((1 - bucket.tokens) / settings.ratePerSecond) * 1000);
      bucket.tokens = 1;
      bucket.updatedAt = Date.now();
    }
    bucket.tokens -= 1;
  }

  /** Forgets what no longer constrains anything, at most once a second. */
  function sweep(now: number): void {
    if (now < nextSweep) return;
    nextSweep = now + 1000;
    for (const [chatKey, sentAt] of lastSentToChat)
      if (now - sentAt >= settings.minIntervalPerChatMs) lastSentToChat.delete(chatKey);
    for (const [sessionId, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.waiting === 0 && bucket.tokens >= settings.burst) buckets.delete(sessionId);
    }
  }

  return {
    /** Resolves when the session may send to the chat. */
    async take(sessionId: string, chatJid: string): Promise<void> {
      if (settings.ratePerSecond <= 0 && settings.minIntervalPerChatMs <= 0) return;
      sweep(Date.now());
      const chatKey = `${sessionId}:${chatJid}`;
      const wait = (lastSentToChat.get(chatKey) ?? 0) + settings.minIntervalPerChatMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (settings.ratePerSecond > 0) {
        let bucket = buckets.get(sessionId);
        if (!bucket)
          buckets.set(
            sessionId,
            (bucket = { tokens: settings.burst, updatedAt: Date.now(), tail: Promise.resolve(), waiting: 0 }),
          );
        const current = bucket;
        current.waiting += 1;
        const turn = current.tail.then(() => takeToken(current));
        current.tail = turn;
        await turn.finally(() => (current.waiting -= 1));
      }
      lastSentToChat.set(chatKey, Date.now());
    },

    /** How many sessions and recipients are remembered (for tests and metrics). */
    size: () => ({ sessions: buckets.size, chats: lastSentToChat.size }),
  };
}
