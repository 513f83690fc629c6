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

export class InvalidPollError extends Error {
  override readonly name = 'InvalidPollError';

  constructor(readonly rule: string) {
    super(`Enquete inválida: ${rule}`);
  }
}

/** The message a reaction, an edit or a deletion names is not known in the session. */
export class UnknownMessageError extends Error {
  override readonly name = 'UnknownMessageError';

  constructor(readonly messageId: string) {
    super(`Mensagem não encontrada: ${messageId}`);
  }
}

/** Only what the session sent can be edited or deleted for everyone, and only once it was sent and not deleted. */
export class MessageNotChangeableError extends Error {
  override readonly name = 'MessageNotChangeableError';

  constructor(
    readonly messageId: string,
    readonly reason: string,
  ) {
    super(`A mensagem ${messageId} não pode ser alterada: ${reason}`);
  }
}

/** A group command named a chat that is not a group (`…@g.us`). */
export class GroupCommandOutsideGroupError extends Error {
  override readonly name = 'GroupCommandOutsideGroupError';

  constructor(readonly chatJid: string) {
    super(`${chatJid} não é um grupo (o id de um grupo termina em @g.us)`);
  }
}
