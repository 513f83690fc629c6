import { NatsError } from 'nats';

/** Whether `error` is a JetStream API error with this `err_code` (e.g. 10059 stream not found). */
export function isNatsApiError(error: unknown, errCode: number): boolean {
  return error instanceof NatsError && error.api_error?.err_code === errCode;
}
