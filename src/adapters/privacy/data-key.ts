import { createHmac } from 'node:crypto';
import { openBytes, sealBytes } from './aes-gcm.js';

/**
 * DATA_KEY as 32 bytes: 64 hex digits, or base64. config.ts has checked the length already.
 *
 * @example
 * parseDataKey(randomBytes(32).toString('base64'));
 */
export function parseDataKey(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/** What the store remembers of the master key: an HMAC of a constant, which tells keys apart and reveals none. */
export const dataKeyCheckValue = (master: Buffer): string =>
  createHmac('sha256', master).update('zapledger DATA_KEY check v1').digest('hex');

const wrapAad = (keyId: string) => `zapledger contact key ${keyId}`;

/** A contact key as stored: wrapped by the master key (AES-256-GCM, bound to its key id), or as it is. */
export const wrapContactKey = (master: Buffer | undefined, keyId: string, key: Buffer): Buffer =>
  master ? sealBytes(master, key, wrapAad(keyId)) : key;

/** A stored contact key, unwrapped. @throws when it was wrapped by another master key. */
export const unwrapContactKey = (master: Buffer | undefined, keyId: string, stored: Buffer): Buffer =>
  master ? openBytes(master, stored, wrapAad(keyId)) : stored;
