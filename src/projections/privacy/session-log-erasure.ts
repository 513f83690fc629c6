import { sql, type RawBuilder } from 'kysely';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { sessionLogEntry } from '../session-logs/session-log-entry.js';
import { erasedChatOf, type ChatErasedEvent } from './chat-erasure.js';

/**
 * The session's log lines of the contact's calls, of the linked-device ids learned to be its, and of the changes
 * of groups' members that name it, read as a rebuild writes them once the contact's key is gone: the same line of
 * the same event with the contact's id erased (domain/privacy/personal-fields.ts, member-fields.ts), so that live
 * and rebuilt logs agree and neither names the contact.
 */
export async function eraseSessionLogs(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  const naming = (eventTypes: string[], condition: RawBuilder<boolean>) =>
    db
      .selectFrom('Session_Logs')
      .select(['Id', 'Event_Type', 'Metadata'])
      .where('Company_Id', '=', event.metadata.companyId)
      .where('Session_Id', '=', sessionId)
      .where('Event_Type', 'in', eventTypes)
      .where(condition)
      .execute();
  // Each line again from the event it was written from, as a rebuild reads that event.
  const rewrite = async (line: { Id: string; Event_Type: string }, streamName: string, data: object) => {
    const erased = { ...event, streamName, type: line.Event_Type, data } as ProjectedEvent;
    const entry = sessionLogEntry(erased)!;
    await db
      .updateTable('Session_Logs')
      .set({
        Message: entry.message,
        Metadata: sql`"Metadata" || ${JSON.stringify(entry.details)}::jsonb` as never,
      })
      .where('Id', '=', line.Id)
      .execute();
  };

  const calls = await naming(['IncomingCallReceived'], sql`"Metadata"->>'from' = ${chatJid}`);
  for (const line of calls) {
    const { callId, isVideo, isGroup } = line.Metadata as CallDetails;
    await rewrite(line, event.streamName, { callId, from: '', isVideo, isGroup, timestamp: 0 });
  }
  // A linked-device id's mapping keeps the id and the contact's keyed hash (the erasure's, for a mapping stored
  // before mappings kept one); the number goes. Found by the number, or by the id when its own chat is erased.
  const mappings = await naming(
    ['ContactLidMapped'],
    sql`("Metadata"->>'phoneJid' = ${chatJid} or "Metadata"->>'lid' = ${chatJid})`,
  );
  for (const line of mappings) {
    const { lid, contactHash } = line.Metadata as { lid: string; contactHash?: string };
    const hash = contactHash ?? event.data.contactHash;
    await rewrite(line, event.streamName, { lid, phoneJid: '', contactHash: hash });
  }
  // A change of a group's members: the contact's id reads as '', and as null the one who made it.
  const membership = await naming(
    ['GroupParticipantsChanged', 'GroupCreated', 'GroupParticipantsUpdated'],
    sql`("Metadata"->'participants' ? ${chatJid} or "Metadata"->>'by' = ${chatJid})`,
  );
  for (const line of membership) {
    const details = line.Metadata as Partial<MembershipDetails>;
    const participants = (details.participants ?? []).map((jid) => (jid === chatJid ? '' : jid));
    const by = details.by === chatJid ? null : (details.by ?? null);
    const groupStream = `chat-${sessionId}_${details.groupJid ?? ''}`;
    await rewrite(
      line,
      groupStream,
      line.Event_Type === 'GroupCreated'
        ? {
            subject: details.subject,
            description: null,
            participants: participants.map((jid) => ({ jid, isAdmin: false })),
          }
        : { groupJid: details.groupJid, action: details.action, participants, by },
    );
  }
}

type CallDetails = { callId: string; isVideo: boolean; isGroup: boolean };

interface MembershipDetails {
  groupJid: string;
  action: string;
  participants: string[];
  by?: string | null;
  subject?: string;
}
