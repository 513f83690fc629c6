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
