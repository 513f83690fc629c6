import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HttpError } from './http-errors.js';

const privateV4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^2(2[4-9]|[3-5]\d)\./,
];

function isPrivate(address: string): boolean {
  if (isIP(address) === 4) return privateV4.some((range) => range.test(address));
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivate(v6.slice(7));
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

/**
 * Refuses a URL whose host is (or resolves to) a loopback, private, link-local or multicast address, so that
 * send-media cannot be used to read the gateway's internal network (SSRF) and send the result out.
 */
export async function assertPublicUrl(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new HttpError(400, `url: o endereço ${host} não foi encontrado`);
  if (addresses.some(isPrivate))
    throw new HttpError(400, `url: ${host} é um endereço interno; use um endereço público`);
}
