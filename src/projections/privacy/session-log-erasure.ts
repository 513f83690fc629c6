import { sql } from 'kysely';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { sessionLogEntry } from '../session-logs/session-log-entry.js';
import { erasedChatOf, type ChatErasedEvent } from './chat-erasure.js';

/**
 * The session's log lines of the contact's calls read as a rebuild writes them, once the caller's key is gone:
 * the same line of the same event with its caller erased (domain/privacy/personal-fields.ts), so that live and
 * rebuilt logs agree and neither names the contact.
 */
export async function eraseSessionLogs(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  const calls = await db
    .selectFrom('Session_Logs')
    .select(['Id', 'Metadata'])
    .where('Company_Id', '=', event.metadata.companyId)
    .where('Session_Id', '=', sessionId)
    .where('Event_Type', '=', 'IncomingCallReceived')
    .where(sql<boolean>`"Metadata"->>'from' = ${chatJid}`)
    .execute();
  for (const call of calls) {
    const { callId, isVideo, isGroup } = call.Metadata as {
      callId: string;
      isVideo: boolean;
      isGroup: boolean;
    };
    const erased = {
      ...event,
      type: 'IncomingCallReceived',
      data: { callId, from: '', isVideo, isGroup, timestamp: 0 },
    };
    const entry = sessionLogEntry(erased as ProjectedEvent)!;
    await db
      .updateTable('Session_Logs')
      .set({
        Message: entry.message,
        Metadata: sql`"Metadata" || ${JSON.stringify(entry.details)}::jsonb` as never,
      })
      .where('Id', '=', call.Id)
      .execute();
  }
}
