import type { QueryCreator } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from './projected-event.js';

/** Where a projector writes: the live tables, or a rebuild's fresh copy of them, inside the runner's transaction. */
export type ReadModelWriter = QueryCreator<ReadModelSchema>;

export type ReadModelTable = 'Sessions' | 'Clients' | 'Chats' | 'Messages' | 'Session_Logs';

/**
 * Builds one read model. `apply` is called for each event in order, inside the transaction that also stores
 * the projection's checkpoint; applying an event a second time must leave the rows as they were.
 */
export interface Projector {
  name: string;
  tables: ReadModelTable[];
  apply(db: ReadModelWriter, event: ProjectedEvent): Promise<void>;
}
