/** Which message an idempotency key of a session created, and with what request. */
export interface IdempotencyClaim {
  requestHash: string;
  messageId: string;
  chatJid: string;
  /** When the key was claimed; part of the message id, so that a key claimed again after its purge is a new message. */
  claimedAt: Date;
}

/** Remembers idempotency keys per session (at least 24 h), so that a replayed request is the same message. */
export interface IdempotencyStore {
  /** Takes the key for this request; when it was already taken, answers the earlier claim instead. */
  claim(
    sessionId: string,
    key: string,
    claim: IdempotencyClaim,
  ): Promise<{ claimed: true } | { claimed: false; earlier: IdempotencyClaim }>;
  /** Gives a key back when its request could not be accepted after all. */
  release(sessionId: string, key: string): Promise<void>;
}
