/** The bus was closed: nothing more can be published or consumed on it. */
export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';

  constructor(readonly operation: string) {
    super(`The bus is closed: cannot ${operation}`);
  }
}

/** Nobody serves the subject a request was sent to (the process behind it is gone). */
export class NoResponderError extends Error {
  override readonly name = 'NoResponderError';

  constructor(readonly subject: string) {
    super(`Nobody answers on ${subject}`);
  }
}

/**
 * The connection to the bus is down (reconnecting): a request is refused at once rather than buffered, so that it
 * cannot reach its server long after its asker gave up on it.
 */
export class BusDisconnectedError extends Error {
  override readonly name = 'BusDisconnectedError';

  constructor(readonly operation: string) {
    super(`The bus is reconnecting: cannot ${operation} now`);
  }
}

/** The process that serves a subject answered with an error; its name and message come along. */
export class RemoteRequestError extends Error {
  override readonly name = 'RemoteRequestError';

  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
  }
}
