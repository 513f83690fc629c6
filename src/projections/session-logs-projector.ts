import type { Projector } from './projector.js';
import { sessionLogEntry } from './session-log-entry.js';

/** Every session event, and every warning or error of its chats, as a log line with its metadata. */
export const sessionLogsProjector: Projector = {
  name: 'session_logs',
  tables: ['Session_Logs'],

  async apply(db, event) {
    const entry = sessionLogEntry(event);
    if (!entry) return;
    const { sessionId, companyId, actor, correlationId, causationId } = event.metadata;
    await db
      .insertInto('Session_Logs')
      .values({
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
      })
      .onConflict((oc) => oc.column('Id').doNothing())
      .execute();
  },
};
