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

/** A control named a message by an id that names no chat. */
export class SimulatedMessageIdError extends Error {
  override readonly name = 'SimulatedMessageIdError';

  constructor(readonly messageId: string) {
    super(`${JSON.stringify(messageId)} is not a WhatsApp message id (<fromMe>_<chat>_<id>)`);
  }
}

/** The phone entered a pairing code that is not the one WhatsApp issued for the session. */
export class SimulatedPairingCodeError extends Error {
  override readonly name = 'SimulatedPairingCodeError';

  constructor(readonly sessionId: string) {
    super(`That is not the pairing code of session ${sessionId}`);
  }
}
