export class SessionNotFoundError extends Error {
  override readonly name = 'SessionNotFoundError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} does not exist`);
  }
}

export class SessionDeletedError extends Error {
  override readonly name = 'SessionDeletedError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} was deleted`);
  }
}

export class SessionAlreadyRegisteredError extends Error {
  override readonly name = 'SessionAlreadyRegisteredError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is already registered`);
  }
}

export class SessionNotConnectedError extends Error {
  override readonly name = 'SessionNotConnectedError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is not connected`);
  }
}

/** Linking by phone number was asked of a session that is connected already. */
export class SessionAlreadyConnectedError extends Error {
  override readonly name = 'SessionAlreadyConnectedError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is connected already`);
  }
}
