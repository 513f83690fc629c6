import { sql } from 'kysely';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { sessionLogEntry, type SessionLogEntry } from '../session-logs/session-log-entry.js';
import { erasedChatOf, type ChatErasedEvent } from './chat-erasure.js';

/**
 * The session's log lines of the contact's calls, of the linked-device ids learned to be its, and of the changes
 * of groups' members that name it, read as a rebuild writes them once the contact's key is gone: the same line of the same event with its number erased
 * (domain/privacy/personal-fields.ts), so that live and rebuilt logs agree and neither names the contact.
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
    await rewriteLine(db, call.Id, entry);
  }
  await eraseLidMappings(db, event);
  await eraseMembershipLines(db, event);
}

/** The changes of a group's members the session logged: the contact's id reads as '' there, as who made one as null. */
async function eraseMembershipLines(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  const lines = await db
    .selectFrom('Session_Logs')
    .select(['Id', 'Event_Type', 'Metadata'])
    .where('Company_Id', '=', event.metadata.companyId)
    .where('Session_Id', '=', sessionId)
    .where('Event_Type', 'in', ['GroupParticipantsChanged', 'GroupCreated', 'GroupParticipantsUpdated'])
    .where(sql<boolean>`("Metadata"->'participants' ? ${chatJid} or "Metadata"->>'by' = ${chatJid})`)
    .execute();
  for (const line of lines) {
    const details = line.Metadata as Partial<MembershipDetails>;
    const participants = (details.participants ?? []).map((jid) => (jid === chatJid ? '' : jid));
    const by = details.by === chatJid ? null : (details.by ?? null);
    // The event the line was written from, as a rebuild reads it once the contact's key is gone.
    const erased = {
      ...event,
      streamName: `chat-${sessionId}_${details.groupJid ?? ''}`,
      type: line.Event_Type,
      data:
        line.Event_Type === 'GroupCreated'
          ? {
              subject: details.subject,
              description: null,
              participants: participants.map((jid) => ({ jid, isAdmin: false })),
            }
          : { groupJid: details.groupJid, action: details.action, participants, by },
    };
    await rewriteLine(db, line.Id, sessionLogEntry(erased as ProjectedEvent)!);
  }
}

interface MembershipDetails {
  groupJid: string;
  action: string;
  participants: string[];
  by?: string | null;
  subject?: string;
}

/** The lines that told which linked-device id the contact's number has: the id stays, the number goes. */
async function eraseLidMappings(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  const mappings = await db
    .selectFrom('Session_Logs')
    .select(['Id', 'Metadata'])
    .where('Company_Id', '=', event.metadata.companyId)
    .where('Session_Id', '=', sessionId)
    .where('Event_Type', '=', 'ContactLidMapped')
    .where(sql<boolean>`"Metadata"->>'phoneJid' = ${chatJid}`)
    .execute();
  for (const mapping of mappings) {
    const { lid, contactHash } = mapping.Metadata as { lid: string; contactHash?: string };
    const erased = { ...event, type: 'ContactLidMapped', data: { lid, phoneJid: '', contactHash } };
    await rewriteLine(db, mapping.Id, sessionLogEntry(erased as ProjectedEvent)!);
  }
}

async function rewriteLine(db: ReadModelWriter, id: string, entry: SessionLogEntry): Promise<void> {
  await db
    .updateTable('Session_Logs')
    .set({
      Message: entry.message,
      Metadata: sql`"Metadata" || ${JSON.stringify(entry.details)}::jsonb` as never,
    })
    .where('Id', '=', id)
    .execute();
}
