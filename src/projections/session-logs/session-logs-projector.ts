import type { Insertable } from 'kysely';
import type { SessionLogsTable } from '../../adapters/db/read-model-schema.js';
import { inChunks } from '../in-rounds.js';
import { sessionLogsColumns } from '../read-model-columns.js';
import { columnsOf, unnestRows } from '../unnest-rows.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { Projector, ReadModelWriter } from '../projector.js';
import { sessionLogEntry } from './session-log-entry.js';

/** Every session event, and every warning or error of its chats, as a log line with its metadata. */
export const sessionLogsProjector: Projector = {
  name: 'session_logs',
  tables: ['Session_Logs'],

  // Each line is its own row, keyed by its event: a batch is one insert.
  project: (db, events) => insertLogRows(db, events),
};

async function insertLogRows(db: ReadModelWriter, events: readonly ProjectedEvent[]): Promise<void> {
  const rows = events.flatMap((event) => logRow(event) ?? []);
  for (const chunk of inChunks(rows, 1000)) {
    await db
      .insertInto('Session_Logs')
      .columns(columnsOf(sessionLogsColumns))
      .expression(unnestRows(chunk, sessionLogsColumns))
      .onConflict((oc) => oc.column('Id').doNothing())
      .execute();
  }
}

function logRow(event: ProjectedEvent): Insertable<SessionLogsTable> | undefined {
  const entry = sessionLogEntry(event);
  if (!entry) return undefined;
  const { sessionId, companyId, actor, correlationId, causationId } = event.metadata;
  return {
    Id: event.id,
    Session_Id: sessionId,
    Company_Id: companyId,
    Level: entry.level,
    Event_Type: event.type,
    Message: entry.message,
    Metadata: JSON.stringify({
      ...entry.details,
      actor,
      correlationId,
      causationId,
      position: event.position.toString(),
    }),
    Created_At: event.metadata.recordedAt,
  };
}
