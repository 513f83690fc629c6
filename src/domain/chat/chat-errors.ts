export class UnknownOutgoingMessageError extends Error {
  override readonly name = 'UnknownOutgoingMessageError';

  constructor(readonly messageId: string) {
    super(`No send was requested for message ${messageId}`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${JSON.stringify(idempotencyKey)} was already used for a different request`);
  }
}

export class EmptyMessageError extends Error {
  override readonly name = 'EmptyMessageError';

  constructor() {
    super('A message needs a text or a media file');
  }
}
