import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeySeed,
  InvalidSigningKeyError,
  parseSigningKey,
  publicKeyBase64,
  publicKeyFromBase64,
} from './ed25519-keys.js';

describe('AUDIT_SIGNING_KEY', () => {
  it('reads the base64 of a raw seed and a PKCS8 PEM as the same key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16).toString('base64');
    expect(publicKeyBase64(parseSigningKey(seed))).toBe(publicKeyBase64(parseSigningKey(pem)));
  });

  it('signs what its printed public key verifies', () => {
    const key = parseSigningKey(generateSigningKeySeed());
    const signature = sign(null, Buffer.from('anchor'), key);
    expect(verify(null, Buffer.from('anchor'), publicKeyFromBase64(publicKeyBase64(key)), signature)).toBe(
      true,
    );
  });

  it('refuses a seed of the wrong length and a key of another kind, saying what it expects', () => {
    expect(() => parseSigningKey(Buffer.alloc(16).toString('base64'))).toThrow(InvalidSigningKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    expect(() => parseSigningKey(rsa.toString())).toThrow(/Ed25519 private key/);
  });
});
