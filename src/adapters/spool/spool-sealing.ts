import { hkdfSync } from 'node:crypto';
import { openBytes, sealBytes } from '../privacy/aes-gcm.js';

/** What a sealed spool file starts with, before its AES-256-GCM ciphertext. */
const magic = Buffer.from('zapledger-spool-sealed-v1\n', 'utf8');
const aad = 'zapledger fact spool';

/** A spool file that cannot be opened: sealed under another DATA_KEY, sealed while DATA_KEY is unset, or altered. */
export class SpoolFileUnreadableError extends Error {
  override readonly name = 'SpoolFileUnreadableError';

  constructor(
    readonly file: string,
    readonly reason: 'no-key' | 'other-key',
  ) {
    super(
      reason === 'no-key'
        ? `The spooled fact ${file} is sealed, and DATA_KEY is unset; refusing to replay the spool (the file is kept): set the DATA_KEY it was written with`
        : `The spooled fact ${file} does not open with this DATA_KEY (written with another key, or altered); refusing to replay the spool (the file is kept): set the DATA_KEY it was written with`,
    );
  }
}

/**
 * The key that seals the spool's files: derived from DATA_KEY (HKDF-SHA256, its own label), so that the master
 * key itself never seals data and a spool key reveals nothing of it.
 */
export const spoolKey = (dataKey: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'zapledger spool v1', 32));

/** A fact's JSON as its file keeps it: sealed when there is a key, clear otherwise. */
export const sealSpoolFile = (key: Buffer | undefined, json: string): Buffer =>
  key ? Buffer.concat([magic, sealBytes(key, Buffer.from(json, 'utf8'), aad)]) : Buffer.from(json, 'utf8');

/**
 * A spool file's JSON: opened when sealed, as it is when written clear (before DATA_KEY, or without it).
 * @throws SpoolFileUnreadableError when it is sealed and cannot be opened.
 */
export function openSpoolFile(key: Buffer | undefined, file: string, stored: Buffer): string {
  if (!stored.subarray(0, magic.length).equals(magic)) return stored.toString('utf8');
  if (!key) throw new SpoolFileUnreadableError(file, 'no-key');
  try {
    return openBytes(key, stored.subarray(magic.length), aad).toString('utf8');
  } catch {
    throw new SpoolFileUnreadableError(file, 'other-key');
  }
}
