/** The bus was closed: nothing more can be published or consumed on it. */
export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';

  constructor(readonly operation: string) {
    super(`The bus is closed: cannot ${operation}`);
  }
}
