import { sql, type Kysely } from 'kysely';
import type { EditedMessageAuthors } from './event-codec.js';

/**
 * The author of a session's message by its WhatsApp id, from the Messages read model (one lookup by its unique
 * index, for an edit in a group only). On PostgreSQL the message's row is committed with the message, and a
 * chat's facts are recorded in order, so the row is there when its edit comes; an edit that comes before its
 * message (or on EventStoreDB, before the projections caught up with it) finds none.
 */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function editedMessageAuthors<T>(db: Kysely<T>): EditedMessageAuthors {
  return async (sessionId, waMessageId) => {
    // Session ids are UUIDs (the column's type); anything else has no row, and must not fail the append.
    if (!uuid.test(sessionId)) return undefined;
    const { rows } = await sql<{ from: string; from_me: boolean }>`
      select "Sender" as "from", "From_Me" as from_me from "Messages"
      where "Session_Id" = ${sessionId} and "Wa_Message_Id" = ${waMessageId}`.execute(db);
    const row = rows[0];
    return row && row.from ? { from: row.from, fromMe: row.from_me } : undefined;
  };
}
