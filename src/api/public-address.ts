import { lookup } from 'node:dns/promises';
import { isPublicAddress, parseIpAddress } from '../domain/public-address.js';
import { HttpError } from './http-errors.js';

/**
 * Refuses a URL whose host is (or resolves to) an address that is not public (see isPublicAddress: loopback,
 * private, link-local, IPv4 hidden in IPv6 …), so that send-media cannot be used to read the gateway's internal
 * network (SSRF) and send the result out.
 */
export async function assertPublicUrl(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = parseIpAddress(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new HttpError(400, `url: o endereço ${host} não foi encontrado`);
  if (!addresses.every(isPublicAddress))
    throw new HttpError(400, `url: ${host} é um endereço interno; use um endereço público`);
}
