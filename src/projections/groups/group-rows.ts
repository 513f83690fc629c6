import type { Selectable } from 'kysely';
import type { GroupsTable } from '../../adapters/db/read-model-schema.js';
import type { GroupParticipant } from '../../domain/chat/chat-events.js';
import { nameBasedUuid } from '../../domain/deterministic-id.js';
import { changeMembers } from '../../domain/groups/group-membership.js';
import type { ProjectedEvent } from '../projected-event.js';

export type GroupRow = Selectable<GroupsTable>;

/** A group of a session is one row, whichever stream tells about it. */
export const groupIdFor = (sessionId: string, groupJid: string): string =>
  nameBasedUuid('group', sessionId, groupJid);

/** The group an event is about, if it is about one; undefined for every other event. */
export function groupOf(event: ProjectedEvent): { groupJid: string; stream: 'chat' | 'session' } | undefined {
  switch (event.type) {
    case 'GroupParticipantsChanged':
      return { groupJid: event.data.groupJid, stream: 'session' };
    case 'MessageReceived':
      return event.data.isGroup ? { groupJid: event.data.chatJid, stream: 'chat' } : undefined;
    case 'GroupCreated':
    case 'GroupParticipantsUpdated':
    case 'GroupLeft':
    case 'GroupSynced':
      return { groupJid: event.streamName.slice(`chat-${event.metadata.sessionId}_`.length), stream: 'chat' };
    default:
      return undefined;
  }
}

/** A group the session's events name before anything says who is in it. */
export function newGroupRow(event: ProjectedEvent, groupJid: string): GroupRow {
  const { sessionId, companyId, recordedAt } = event.metadata;
  return {
    Id: groupIdFor(sessionId, groupJid),
    Session_Id: sessionId,
    Company_Id: companyId,
    Group_Id: groupJid,
    Subject: null,
    Description: null,
    Participants: [],
    Is_Member: true,
    Created_At: new Date(recordedAt),
    Updated_At: new Date(recordedAt),
    Last_Chat_Revision: '-1',
    Last_Session_Revision: '-1',
  };
}

/**
 * The row after one event, or the row itself when the event was applied to it already: each stream's events
 * apply in the order of its revisions, which the row remembers per stream.
 */
export function applyToGroup(row: GroupRow, event: ProjectedEvent, stream: 'chat' | 'session'): GroupRow {
  const last = BigInt(stream === 'chat' ? row.Last_Chat_Revision : row.Last_Session_Revision);
  if (event.revision <= last) return row;
  const revision = event.revision.toString();
  const moved: GroupRow = {
    ...row,
    ...(stream === 'chat' ? { Last_Chat_Revision: revision } : { Last_Session_Revision: revision }),
    // The latest event's time, in whichever order two streams' events reach the row.
    Updated_At: new Date(Math.max(new Date(row.Updated_At).getTime(), Date.parse(event.metadata.recordedAt))),
  };
  switch (event.type) {
    case 'MessageReceived':
      // WhatsApp names the chat of a group message by the group's subject.
      return event.data.chatName ? { ...moved, Subject: event.data.chatName } : moved;
    case 'GroupCreated': {
      const { subject, description, participants } = event.data;
      return {
        ...moved,
        Subject: subject,
        Description: description,
        Participants: knownMembers(participants),
        Is_Member: true,
      };
    }
    case 'GroupParticipantsUpdated':
      return {
        ...moved,
        Participants: changeMembers(row.Participants, event.data.action, event.data.participants),
      };
    case 'GroupLeft':
      return { ...moved, Is_Member: false };
    case 'GroupSynced': {
      const { subject, description, participants } = event.data;
      return {
        ...moved,
        Subject: subject,
        Description: description,
        Participants: knownMembers(participants),
        Is_Member: true,
      };
    }
    case 'GroupParticipantsChanged':
      return {
        ...moved,
        Participants: changeMembers(row.Participants, event.data.action, event.data.participants),
      };
    default:
      return row;
  }
}

/** The members a list names, without those erased since (their id reads as ''). */
const knownMembers = (participants: readonly GroupParticipant[]): GroupParticipant[] =>
  participants.filter((member) => member.jid !== '');
