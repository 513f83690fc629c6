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

/**
 * Waits until `stopped` says the session no longer runs anywhere (the process that ran it stopped it, recorded
 * so and let its lease go), checking every `everyMs`.
 * @throws StopNotConfirmedError after `timeoutMs`.
 */
export async function confirmStopped(
  sessionId: string,
  stopped: () => Promise<boolean>,
  timeoutMs = 15_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await stopped())) {
    if (Date.now() > deadline) throw new StopNotConfirmedError(sessionId, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
