/** The process that runs a session did not confirm a stop in time; the request is recorded and stands. */
export class StopNotConfirmedError extends Error {
  override readonly name = 'StopNotConfirmedError';

  constructor(
    readonly sessionId: string,
    readonly waitedMs: number,
  ) {
    super(`The gateway process running session ${sessionId} did not confirm the stop within ${waitedMs} ms`);
  }
}

/** How a stop asked of a process that does not run the session ended. */
export type StopElsewhere = 'stopped' | 'owner-gone';

export interface StopConfirmation {
  /** The live process that holds the session's lease, if any. */
  ownerOf(): Promise<string | undefined>;
  /** Whether that process is gone (it died with its lease still valid). */
  isGone(owner: string): Promise<boolean>;
  /** Lets go of a gone process's lease on the session, so that the stop can be recorded here. */
  releaseFrom(owner: string): Promise<void>;
  timeoutMs?: number;
  everyMs?: number;
  /** How long the owner has to confirm before this process asks whether it is still there. */
  graceMs?: number;
}

/**
 * Waits until the session no longer runs anywhere: the process that ran it stopped it, recorded so and let its
 * lease go ('stopped'). If that process is gone (killed on another host, its lease still valid for up to three
 * heartbeats), its lease on the session is let go and 'owner-gone' answers, for the stop to be recorded here.
 * @throws StopNotConfirmedError after `timeoutMs`.
 */
export async function confirmStopped(sessionId: string, how: StopConfirmation): Promise<StopElsewhere> {
  const timeoutMs = how.timeoutMs ?? 15_000;
  const started = Date.now();
  let askedWhether: string | undefined;
  for (;;) {
    const owner = await how.ownerOf();
    if (owner === undefined) return 'stopped';
    if (owner !== askedWhether && Date.now() - started >= (how.graceMs ?? 1000)) {
      askedWhether = owner;
      if (await how.isGone(owner)) {
        await how.releaseFrom(owner);
        return 'owner-gone';
      }
    }
    if (Date.now() - started > timeoutMs) throw new StopNotConfirmedError(sessionId, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, how.everyMs ?? 20));
  }
}
