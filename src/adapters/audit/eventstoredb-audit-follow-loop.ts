import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { Logger } from '../../logger.js';
import { followEventStoreDbAudit } from './eventstoredb-audit-follower.js';

export interface AuditFollowLoopOptions {
  db: Kysely<DatabaseSchema>;
  client: EventStoreDBClient;
  /** How often it reads `$all` on from its checkpoint. */
  intervalMs: number;
  logger: Logger;
}

/**
 * Keeps the audit heads and index (eventstoredb-audit-follower.ts) close behind the end of `$all`, much more
 * often than anchors are signed: the audit page reads the part not indexed yet from `$all`, which stays short
 * only while this keeps up. Run it in one process at a time (the anchoring singleton). One catch-up at a time:
 * `catchUp` waits for the one running, then runs its own, so the caller sees everything appended before it.
 */
export function createAuditFollowLoop({ db, client, intervalMs, logger }: AuditFollowLoopOptions) {
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  const catchUp = (): Promise<void> => {
    const next = turn.then(() => followEventStoreDbAudit(db, client)).then(() => undefined);
    // The caller hears of a failure; the turns go on (the next one reads again from the checkpoint).
    turn = next.catch(() => undefined);
    return next;
  };

  return {
    catchUp,
    start(): Promise<void> {
      timer = setInterval(
        () =>
          void catchUp().catch((error: unknown) => {
            logger.error({ err: error }, 'Could not follow $all into the audit index; trying again');
          }),
        intervalMs,
      );
      timer.unref();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await turn;
    },
  };
}
