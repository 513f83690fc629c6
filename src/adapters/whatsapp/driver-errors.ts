/** What a WhatsApp driver throws; the port re-exports them. */

export class DriverStartError extends Error {
  override readonly name = 'DriverStartError';

  constructor(
    readonly sessionId: string,
    readonly reason: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`Session ${sessionId} could not start: ${reason}`, options);
  }
}

/** WhatsApp refused or failed a send. `permanent`: retrying cannot help (invalid number, not on WhatsApp). */
export class SendFailedError extends Error {
  override readonly name: string = 'SendFailedError';

  constructor(
    readonly reason: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/**
 * The send may or may not have reached WhatsApp: the call failed or timed out after the message could already
 * have been handed over (the page died mid-send, no answer in time). Sending again could deliver it twice; the
 * message's echo in the chat tells what happened. It is `permanent` so that a caller that knows only
 * SendFailedError never retries it.
 */
export class SendOutcomeUnknownError extends SendFailedError {
  override readonly name: string = 'SendOutcomeUnknownError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, true, options);
  }
}

/** WhatsApp no longer has a message's file, or the message has none: retrying cannot help. */
export class MediaUnavailableError extends Error {
  override readonly name = 'MediaUnavailableError';

  constructor(
    readonly waMessageId: string,
    reason: string,
  ) {
    super(reason);
  }
}

export class SessionNotRunningError extends Error {
  override readonly name = 'SessionNotRunningError';

  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} has no running WhatsApp connection in this process`);
  }
}

/** The session is not in the group (or there is no such group). */
export class GroupNotFoundError extends Error {
  override readonly name = 'GroupNotFoundError';

  constructor(readonly groupJid: string) {
    super(`Grupo não encontrado (a sessão não participa dele): ${groupJid}`);
  }
}

/** WhatsApp refused a group command (not an admin, not a member, a number not on WhatsApp …). */
export class GroupChangeRefusedError extends Error {
  override readonly name = 'GroupChangeRefusedError';

  constructor(readonly reason: string) {
    super(`O WhatsApp recusou a alteração do grupo: ${reason}`);
  }
}

/** WhatsApp did not answer a group command (a timeout, the page failed): whether it happened is not known. */
export class GroupCallFailedError extends Error {
  override readonly name = 'GroupCallFailedError';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`O WhatsApp não respondeu à alteração do grupo: ${reason}`, options);
  }
}
