import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { VerificationReport } from './chain-break.js';
import { verifyAnchors } from './verify-anchors.js';
import { verifyEventChains } from './verify-event-chains.js';

/**
 * Verifies the whole PostgreSQL store, anchors then events, in one snapshot so that appends made meanwhile are
 * neither seen half nor taken for breaks. Reads a page at a time; never holds the store in memory.
 *
 * @example
 * const report = await verifyPostgresStore(database.db);
 * if (report.firstBreak) console.error(report.firstBreak.problem);
 */
export async function verifyPostgresStore(
  db: Kysely<DatabaseSchema>,
  options: { expectedPublicKey?: string; pageSize?: number } = {},
): Promise<VerificationReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const anchors = await verifyAnchors(trx, options.expectedPublicKey);
      const chains = anchors.firstBreak
        ? { events: 0, streams: 0, anchoredEvents: 0, firstBreak: null }
        : await verifyEventChains(trx, options.pageSize);
      return {
        events: chains.events,
        streams: chains.streams,
        anchors: anchors.anchors,
        anchoredEvents: chains.anchoredEvents,
        publicKeys: anchors.publicKeys,
        firstBreak: anchors.firstBreak ?? chains.firstBreak,
      };
    });
}
