import type { QueryCreator } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from './projected-event.js';

/** Where a projector writes: the live tables, or a rebuild's fresh copy of them, inside the runner's transaction. */
export type ReadModelWriter = QueryCreator<ReadModelSchema>;

export type ReadModelTable = 'Sessions' | 'Clients' | 'Chats' | 'Messages' | 'Session_Logs';

/**
 * Builds one read model, inside the transaction that also stores the projection's checkpoint. `apply` defines
 * what one event does; applying an event a second time must leave the rows as they were. `applyAll`, where a
 * projector has it, writes a whole batch in a few statements and must leave exactly the rows that `apply`, event
 * by event, would (projections.int.test checks both ways on the same history).
 */
export interface Projector {
  name: string;
  tables: ReadModelTable[];
  apply: (db: ReadModelWriter, event: ProjectedEvent) => Promise<void>;
  applyAll?: (db: ReadModelWriter, events: readonly ProjectedEvent[]) => Promise<void>;
}
