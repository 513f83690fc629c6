import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** DER prefixes that turn a raw 32-byte Ed25519 seed or public key into PKCS8 and SPKI documents. */
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

export class InvalidSigningKeyError extends Error {
  override readonly name = 'InvalidSigningKeyError';

  constructor(reason: string) {
    super(
      `AUDIT_SIGNING_KEY: ${reason}; expected an Ed25519 private key as PKCS8 PEM or as the base64 of its raw 32-byte seed`,
    );
  }
}

/** An Ed25519 private key from PKCS8 PEM (`-----BEGIN PRIVATE KEY-----`) or base64 of the raw 32-byte seed. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) key = createPrivateKey(trimmed);
    else {
      const seed = Buffer.from(trimmed, 'base64');
      if (seed.length !== 32)
        throw new InvalidSigningKeyError(`base64 decodes to ${seed.length} bytes, not 32`);
      key = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
    }
  } catch (error) {
    if (error instanceof InvalidSigningKeyError) throw error;
    throw new InvalidSigningKeyError(error instanceof Error ? error.message : String(error));
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new InvalidSigningKeyError(`a ${key.asymmetricKeyType} key`);
  return key;
}

/** A fresh key, as the base64 of its raw seed (the form `parseSigningKey` reads). */
export function generateSigningKeySeed(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(pkcs8Prefix.length).toString('base64');
}

/** The raw 32-byte public key, base64: the form anchors record and `npm run audit -- public-key` prints. */
export function publicKeyBase64(privateKey: KeyObject): string {
  return createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .subarray(spkiPrefix.length)
    .toString('base64');
}

/** A public key from the base64 of its raw 32 bytes. */
export function publicKeyFromBase64(base64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(base64, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}
