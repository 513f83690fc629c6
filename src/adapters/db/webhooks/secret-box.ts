import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A stored secret that cannot be opened with this key (another key, or changed bytes). */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';

  constructor() {
    super('A stored webhook secret cannot be decrypted with the configured key');
  }
}

const version = 'v1';

/**
 * Seals webhook secrets with AES-256-GCM before they are stored, and opens them to sign a delivery (an HMAC needs
 * the secret itself, so it cannot be hashed). The key is 32 bytes: SHA-256 of `keyMaterial`, which is
 * WEBHOOK_SECRET_KEY, or the JWT secret when that is unset. Stored form: `v1:<iv>:<tag>:<ciphertext>`, base64.
 *
 * @example
 * const box = createSecretBox(config.WEBHOOK_SECRET_KEY ?? jwtSecret);
 * box.open(box.seal('whsec_…')); // 'whsec_…'
 */
export function createSecretBox(keyMaterial: string) {
  const key = createHash('sha256').update(`zapledger-webhook-secrets:${keyMaterial}`).digest();
  return {
    seal(secret: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [version, iv, cipher.getAuthTag(), sealed]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
        .join(':');
    },
    open(stored: string): string {
      const [tag, iv, authTag, sealed] = stored.split(':');
      if (tag !== version || !iv || !authTag || sealed === undefined) throw new SecretUnreadableError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(authTag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretUnreadableError();
      }
    },
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;
