import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseIpAddress } from './public-address.js';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, anywhere in 127/8'],
    ['2130706433', 'loopback as one decimal number'],
    ['0x7f000001', 'loopback as one hexadecimal number'],
    ['0x7f.1', 'loopback in hexadecimal parts'],
    ['0177.0.0.1', 'loopback in octal parts'],
    ['127.1', 'loopback in short form'],
    ['0.0.0.0', 'the unspecified IPv4 address'],
    ['0', 'the unspecified IPv4 address as a number'],
    ['10.1.2.3', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12, its end'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared address space 100.64/10'],
    ['100.127.255.255', 'shared address space, its end'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'IPv6 loopback in brackets'],
    ['::', 'the unspecified IPv6 address'],
    ['[::]', 'the unspecified IPv6 address in brackets'],
    ['0:0:0:0:0:0:0:1', 'IPv6 loopback, uncompressed'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['[::ffff:127.0.0.1]', 'IPv4-mapped loopback in brackets'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, in hex groups (as URL writes it)'],
    ['0:0:0:0:0:ffff:7f00:0001', 'IPv4-mapped loopback, uncompressed'],
    ['::FFFF:A9FE:A9FE', 'IPv4-mapped link-local, upper case'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b:1::a00:1', 'NAT64 for local use'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of a private address'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fd00::/8'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['febf:ffff::1', 'link-local, the end of fe80::/10'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['localhost', 'not an address'],
    ['1.2.3.4.5', 'not an address'],
    ['256.1.1.1', 'not an address'],
    ['1::2::3', 'not an address'],
    ['', 'not an address'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '1572395042',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2606:4700:4700::1111',
    '[2a00:1450:4001:82b::200e]',
  ])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('reads every spelling of one address as the same bytes', () => {
    const loopback = [127, 0, 0, 1];
    for (const spelling of ['127.0.0.1', '2130706433', '0x7f000001', '0x7f.0.0.1', '0177.0.0.01', '127.0.1'])
      expect(parseIpAddress(spelling)).toEqual(loopback);
    expect(parseIpAddress('::ffff:127.0.0.1')).toEqual(parseIpAddress('::ffff:7f00:1'));
  });
});
