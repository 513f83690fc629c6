import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { generateSigningKeySeed, parseSigningKey, publicKeyBase64 } from './ed25519-keys.js';

export interface AnchorSigningKey {
  privateKey: KeyObject;
  /** Base64 of the raw 32-byte public key. */
  publicKey: string;
  /** Where it came from: AUDIT_SIGNING_KEY, or generated and kept in the database. */
  source: 'configured' | 'database';
}

const generatedKeyName = 'generated';

/**
 * The key anchors are signed with: AUDIT_SIGNING_KEY when set; otherwise the one kept in the database, generated
 * by whichever process needs it first (several starting at once insert, one wins, all read the winner's).
 */
export async function loadAnchorSigningKey(
  db: Kysely<DatabaseSchema>,
  configured: string | undefined,
): Promise<AnchorSigningKey> {
  if (configured) {
    const privateKey = parseSigningKey(configured);
    return { privateKey, publicKey: publicKeyBase64(privateKey), source: 'configured' };
  }
  const seed = generateSigningKeySeed();
  await db
    .insertInto('audit_signing_keys')
    .values({ name: generatedKeyName, private_key: seed, public_key: publicKeyBase64(parseSigningKey(seed)) })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const kept = await db
    .selectFrom('audit_signing_keys')
    .select('private_key')
    .where('name', '=', generatedKeyName)
    .executeTakeFirstOrThrow();
  const privateKey = parseSigningKey(kept.private_key);
  return { privateKey, publicKey: publicKeyBase64(privateKey), source: 'database' };
}
