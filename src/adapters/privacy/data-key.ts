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

/**
 * What the store remembers of the master key: an HMAC of a constant, which tells keys apart and reveals none. Its
 * second version also says the erasure salt is kept wrapped: a version of the gateway from before, which would
 * take the wrapped salt for the salt itself, compares the first and refuses to start.
 */
export const dataKeyCheckValue = (master: Buffer): string =>
  createHmac('sha256', master).update('zapledger DATA_KEY check v2 (salt wrapped)').digest('hex');

/** The check value of stores whose erasure salt is still bare (versions before salts were wrapped). */
export const bareSaltCheckValue = (master: Buffer): string =>
  createHmac('sha256', master).update('zapledger DATA_KEY check v1').digest('hex');

const wrapAad = (keyId: string) => `zapledger contact key ${keyId}`;

/** A contact key as stored: wrapped by the master key (AES-256-GCM, bound to its key id), or as it is. */
export const wrapContactKey = (master: Buffer | undefined, keyId: string, key: Buffer): Buffer =>
  master ? sealBytes(master, key, wrapAad(keyId)) : key;

const saltAad = 'zapledger erasure salt';
/** A bare salt's length; wrapped, it is 12 + 32 + 16 bytes. */
const bareSaltBytes = 32;

/** The erasure salt as stored: wrapped by the master key when there is one, so that a copy of the database alone
 * cannot hash candidate numbers and link what the keyed hashes name. */
export const wrapHashSalt = (master: Buffer | undefined, salt: Buffer): Buffer =>
  master ? sealBytes(master, salt, saltAad) : salt;

/** The stored erasure salt, unwrapped; one stored bare (before salts were wrapped) is as it is. */
export const unwrapHashSalt = (master: Buffer | undefined, stored: Buffer): Buffer =>
  master && stored.length !== bareSaltBytes ? openBytes(master, stored, saltAad) : stored;

/** A stored contact key, unwrapped. @throws when it was wrapped by another master key. */
export const unwrapContactKey = (master: Buffer | undefined, keyId: string, stored: Buffer): Buffer =>
  master ? openBytes(master, stored, wrapAad(keyId)) : stored;
