import type { ActualRevision, ExpectedRevision } from './port.js';

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`Stream ${streamName} was expected at ${String(expected)} but is at ${String(actual)}`);
  }
}

export class InvalidCheckpointError extends Error {
  override readonly name = 'InvalidCheckpointError';

  constructor(readonly checkpoint: string) {
    super(`Checkpoint ${JSON.stringify(checkpoint)} was not produced by this event store`);
  }
}

export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';

  constructor() {
    super('The event store is closed');
  }
}
