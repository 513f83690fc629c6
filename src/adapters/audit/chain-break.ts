/** The first place where stored history does not match its hashes, as `npm run audit -- verify` names it. */
export interface ChainBreak {
  streamName: string | null;
  revision: string | null;
  eventId: string | null;
  /** The event's global position, when the break is at an event. */
  position: string | null;
  /** The anchor concerned, when the break is in or against an anchor. */
  anchor: number | null;
  problem: string;
}

export const chainBreak = (fields: Partial<ChainBreak> & { problem: string }): ChainBreak => ({
  streamName: null,
  revision: null,
  eventId: null,
  position: null,
  anchor: null,
  ...fields,
});

/** What a verification found: counts, the keys that signed the anchors, and the first break if any. */
export interface VerificationReport {
  events: number;
  streams: number;
  anchors: number;
  /** Events covered by an anchor (at or below an anchored head). */
  anchoredEvents: number;
  publicKeys: string[];
  firstBreak: ChainBreak | null;
}
