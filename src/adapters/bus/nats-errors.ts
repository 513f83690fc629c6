import { NatsError } from 'nats';

/** Whether `error` is a JetStream API error with this `err_code` (e.g. 10059 stream not found). */
export function isNatsApiError(error: unknown, errCode: number): boolean {
  return error instanceof NatsError && error.api_error?.err_code === errCode;
}

/**
 * The stream cannot take its subjects because another stream already holds them: NATS lets one stream only
 * own a subject. Happens when NATS_STREAM changes on a server that keeps the old stream.
 */
export class StreamSubjectsTakenError extends Error {
  override readonly name = 'StreamSubjectsTakenError';

  constructor(
    readonly stream: string,
    readonly subjects: readonly string[],
    readonly holder: string | undefined,
  ) {
    super(
      `NATS stream ${JSON.stringify(stream)} cannot take the subjects ${subjects.join(', ')}: ` +
        `${holder ? `stream ${JSON.stringify(holder)}` : 'another stream'} already holds them. ` +
        `Set NATS_SUBJECT_PREFIX to a prefix of its own for this stream` +
        `${holder ? `, or NATS_STREAM=${holder} to use the existing stream` : ''}.`,
    );
  }
}
