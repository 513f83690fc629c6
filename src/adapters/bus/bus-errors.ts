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
