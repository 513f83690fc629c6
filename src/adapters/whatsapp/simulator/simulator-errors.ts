export class SimulatedSessionNotRunningError extends Error {
  override readonly name = 'SimulatedSessionNotRunningError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is not running on the simulator`);
  }
}

export class SimulatedSessionStateError extends Error {
  override readonly name = 'SimulatedSessionStateError';

  constructor(
    readonly sessionId: string,
    readonly action: string,
    readonly state: string,
  ) {
    super(`Cannot ${action} session ${sessionId} while it is ${state}`);
  }
}
