import { randomUUID } from 'node:crypto';

/** Longest request id taken from a client; a longer one is replaced, not cut. */
export const maxRequestIdLength = 100;
const safeRequestId = new RegExp(`^[A-Za-z0-9_.:-]{1,${maxRequestIdLength}}$`);

/**
 * The id of a request: the client's `X-Request-Id` when it is short and made of safe characters (it ends up in
 * logs and in every event the request causes, as their `correlationId`), else a new UUID.
 *
 * @example
 * requestIdFrom('checkout-42'); // 'checkout-42'
 * requestIdFrom('a\nb');        // a new UUID
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && safeRequestId.test(header) ? header : randomUUID();
}
