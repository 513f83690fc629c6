import type { QueryCreator } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from './projected-event.js';

/** Where a projector writes: the live tables, or a rebuild's fresh copy of them, inside the runner's transaction. */
export type ReadModelWriter = QueryCreator<ReadModelSchema>;

export type ReadModelTable =
  | 'Sessions'
  | 'Clients'
  | 'Chats'
  | 'Messages'
  | 'Session_Logs'
  | 'Message_Actions'
  | 'Early_Message_Changes'
  | 'Groups'
  | 'Client_Lids';

/**
 * Builds one read model: `project` writes a batch of events, in order, inside the transaction the caller owns
 * (the append's, inline; the runner's, in catch-up; the rebuild's). It is the only code path, whatever the
 * batch's size: the same events in batches of any size leave the same rows, and applying events a second time
 * leaves the rows as they were (replay-equivalence.int.test checks both).
 */
export interface Projector {
  name: string;
  tables: ReadModelTable[];
  project: (db: ReadModelWriter, events: readonly ProjectedEvent[]) => Promise<void>;
}
