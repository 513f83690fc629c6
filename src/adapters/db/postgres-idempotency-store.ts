import type { Kysely } from 'kysely';
import type { IdempotencyStore } from '../../app/idempotency-store.js';
import type { ReadModelSchema } from './read-model-schema.js';

const keptForMs = 7 * 24 * 3_600_000;

/**
 * Idempotency keys in the `idempotency_keys` table: the primary key (session, key) makes the first claim win
 * even when replays arrive at the same moment on several gateway processes.
 */
export function createPostgresIdempotencyStore(db: Kysely<ReadModelSchema>): IdempotencyStore {
  let lastPurge = 0;
  return {
    async claim(sessionId, key, claim) {
      if (Date.now() - lastPurge > 3_600_000) {
        lastPurge = Date.now();
        await db
          .deleteFrom('idempotency_keys')
          .where('created_at', '<', new Date(Date.now() - keptForMs))
          .execute();
      }
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          session_id: sessionId,
          key,
          request_hash: claim.requestHash,
          message_id: claim.messageId,
          chat_jid: claim.chatJid,
          created_at: claim.claimedAt,
        })
        .onConflict((oc) => oc.columns(['session_id', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) return { claimed: true };
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'message_id', 'chat_jid', 'created_at'])
        .where('session_id', '=', sessionId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return {
        claimed: false,
        earlier: {
          requestHash: row.request_hash,
          messageId: row.message_id,
          chatJid: row.chat_jid,
          claimedAt: row.created_at,
        },
      };
    },
    async release(sessionId, key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('session_id', '=', sessionId)
        .where('key', '=', key)
        .execute();
    },
  };
}
