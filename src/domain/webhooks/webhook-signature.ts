import { createHmac, randomBytes } from 'node:crypto';

const secretPrefix = 'whsec_';

/** A secret that is not `whsec_` followed by base64 of 24 to 64 bytes. */
export class InvalidWebhookSecretError extends Error {
  override readonly name = 'InvalidWebhookSecretError';

  constructor() {
    super('secret: must be whsec_ followed by base64 of 24 to 64 bytes');
  }
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

/** The signing key of a `whsec_…` secret (its base64 part, decoded). */
export function webhookSigningKey(secret: string): Buffer {
  if (!secret.startsWith(secretPrefix)) throw new InvalidWebhookSecretError();
  const encoded = secret.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new InvalidWebhookSecretError();
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24 || key.length > 64) throw new InvalidWebhookSecretError();
  return key;
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,` and the base64 HMAC-SHA256, keyed by the secret's
 * bytes, of `<webhook-id>.<webhook-timestamp>.<body>`.
 *
 * @example
 * signWebhook(webhookSigningKey(secret), eventId, Math.floor(Date.now() / 1000), body); // 'v1,K5oZ…='
 */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}
