import { lookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../domain/public-address.js';

/** A host name resolved to an address that is not public (see isPublicAddress) when connecting to it. */
export class NonPublicAddressError extends Error {
  override readonly name = 'NonPublicAddressError';

  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which is not a public address`);
  }
}

export interface HttpGetResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
  /** Stops reading the body and releases the connection. */
  close(): void;
}

/**
 * GET `url`, without following redirects. With `publicOnly`, every address a host name resolves to is checked
 * when connecting, so the address checked is the address connected to: a name cannot resolve to a public
 * address for a check made beforehand and to an internal one for the connection (DNS rebinding). Literal
 * addresses in URLs are not resolved: check them before calling (assertPublicUrl).
 */
export function httpGet(
  url: URL,
  options: { publicOnly: boolean; timeoutMs: number },
): Promise<HttpGetResponse> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(
      url,
      {
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.publicOnly ? { lookup: publicLookup } : {}),
      },
      (response) =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: response,
          close: () => response.destroy(),
        }),
    );
    request.on('error', reject);
  });
}

/** A DNS lookup that refuses (NonPublicAddressError) a host name resolving to any address that is not public. */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((address) => !isPublicAddress(address.address));
    if (refused) return callback(new NonPublicAddressError(hostname, refused.address), '', 0);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first)
      return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};
