import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import type { RecordedEvent } from '../port.js';

/**
 * What a PostgreSQL store does around each group commit. Inline projections write the read models in
 * `withinTransaction`, so the reply to an append implies that every reader, on every process, sees its effects;
 * `afterCommit` hands the stored events to this process's relay without reading them back.
 */
export interface AppendHooks {
  /**
   * Runs inside the transaction that stores `events` (only the events actually stored, in the order of their
   * positions). What it writes commits with them; if it throws, nothing of the group is stored.
   */
  withinTransaction?: (trx: Transaction<DatabaseSchema>, events: readonly RecordedEvent[]) => Promise<void>;
  /** Told of the stored events right after their transaction committed. Must not throw. */
  afterCommit?: (events: readonly RecordedEvent[]) => void;
}
