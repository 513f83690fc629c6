/**
 * Whether the gateway may connect to an IP address on a user's behalf (send-media downloads, webhooks): only
 * to a public unicast address, never to loopback, private, shared (CGNAT), link-local, unique-local, multicast,
 * reserved or documentation ranges. The address is read in every form it can be written in, so that no spelling
 * slips past the ranges: IPv4 in decimal, hexadecimal or octal parts (`2130706433`, `0x7f.1`, `0177.0.0.1`),
 * IPv6 compressed or not, with brackets or a zone, and IPv4 inside IPv6 (mapped `::ffff:127.0.0.1` or
 * `::ffff:7f00:1`, compatible `::127.0.0.1`, NAT64 `64:ff9b::`, 6to4 `2002::`). What cannot be read is not public.
 *
 * Call it with each address a host name resolves to, and connect only to an address it accepted.
 *
 * @example
 * isPublicAddress('93.184.215.14'); // true
 * isPublicAddress('[::ffff:7f00:1]'); // false: 127.0.0.1
 */
export function isPublicAddress(address: string): boolean {
  const bytes = parseIpAddress(address);
  if (!bytes) return false;
  return bytes.length === 4 ? isPublicV4(bytes) : isPublicV6(bytes);
}

/** The bytes of an IPv4 (4) or IPv6 (16) address in any of its spellings; undefined when it is neither. */
export function parseIpAddress(text: string): number[] | undefined {
  const address = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (address.includes(':')) return parseV6(address.replace(/%.*$/, ''));
  return parseV4(address);
}

/** IPv4 as inet_aton reads it: one to four parts, each decimal, 0x-hexadecimal or 0-octal; the last fills the rest. */
function parseV4(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) value = Number(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((value) => value > 255)) return undefined;
  const restBytes = 4 - values.length;
  if (last >= 256 ** restBytes) return undefined;
  const tail = Array.from(
    { length: restBytes },
    (_, i) => Math.floor(last / 256 ** (restBytes - 1 - i)) % 256,
  );
  return [...values, ...tail];
}

function parseV6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    if (!v4) return undefined;
    text = `${text.slice(0, -dotted[1]!.length)}${hex16(v4[0]!, v4[1]!)}:${hex16(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const [head, tail] = [groups(halves[0]), groups(halves[1])];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 && missing < 1) return undefined;
  const all = halves.length === 2 ? [...head, ...Array<string>(missing).fill('0'), ...tail] : head;
  if (all.length !== 8 || !all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function hex16(high: number, low: number): string {
  return ((high << 8) | low).toString(16);
}

/** [first bytes, prefix length in bits] of IPv4 ranges that are not public (RFC 6890 and friends). */
const nonPublicV4: [number[], number][] = [
  [[0], 8], // "this network", 0.0.0.0 included
  [[10], 8],
  [[100, 64], 10], // shared address space (CGNAT)
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata services
  [[172, 16], 12],
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, and the broadcast address
];

/** IPv6 ranges that are not public and carry no IPv4 address to judge instead. */
const nonPublicV6: [number[], number][] = [
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48], // NAT64 for local use
  [[0x01, 0x00], 64], // discard-only
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo: an IPv4 address hidden (obfuscated) inside
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0xfc], 7], // unique local
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated)
  [[0xff], 8], // multicast
];

function inRange(bytes: number[], [prefix, bits]: [number[], number]): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8;
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

function isPublicV4(bytes: number[]): boolean {
  return !nonPublicV4.some((range) => inRange(bytes, range));
}

function isPublicV6(bytes: number[]): boolean {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  // IPv4 inside IPv6 reaches the IPv4 address: it is judged as that address.
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return isPublicV4(bytes.slice(12)); // mapped
  if (zeros(0, 12)) return false; // unspecified (::), loopback (::1), and the deprecated IPv4-compatible form
  if (inRange(bytes, [[0x00, 0x64, 0xff, 0x9b], 96])) return isPublicV4(bytes.slice(12)); // NAT64
  if (inRange(bytes, [[0x20, 0x02], 16])) return isPublicV4(bytes.slice(2, 6)); // 6to4
  return !nonPublicV6.some((range) => inRange(bytes, range));
}
