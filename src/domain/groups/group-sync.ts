import { createHash } from 'node:crypto';
import type { GroupParticipant } from '../chat/chat-events.js';

/** A group as WhatsApp's list of the session's groups tells it, or as the gateway knows it. */
export interface GroupState {
  subject: string | null;
  description: string | null;
  participants: readonly GroupParticipant[];
}

export interface KnownGroup extends GroupState {
  isMember: boolean;
  /** Where the group's two streams stood when it was read: a later change makes the same list a new fact. */
  chatRevision: string;
  sessionRevision: string;
}

export interface GroupToSync {
  groupJid: string;
  subject: string | null;
  description: string | null;
  participants: GroupParticipant[];
  /** The same list read again, with nothing known changed in between, is the same fact (stored once). */
  factKey: string;
}

/**
 * The listed groups that differ from what the gateway knows: unknown ones, ones it holds as left, and ones whose
 * subject, description or members (order aside) differ.
 */
export function groupsToSync(
  listed: readonly (GroupState & { groupJid: string })[],
  known: ReadonlyMap<string, KnownGroup>,
): GroupToSync[] {
  return listed.flatMap((group) => {
    const row = known.get(group.groupJid);
    if (row?.isMember && sameGroup(row, group)) return [];
    const state = {
      subject: group.subject,
      description: group.description,
      participants: [...group.participants],
    };
    const digest = createHash('sha256')
      .update(JSON.stringify([state.subject, state.description, membersKey(state.participants)]))
      .digest('hex')
      .slice(0, 32);
    const at = row ? `${row.chatRevision}:${row.sessionRevision}` : 'new';
    return [{ groupJid: group.groupJid, ...state, factKey: `group-sync:${group.groupJid}:${at}:${digest}` }];
  });
}

function sameGroup(a: GroupState, b: GroupState): boolean {
  return (
    a.subject === b.subject &&
    a.description === b.description &&
    membersKey(a.participants) === membersKey(b.participants)
  );
}

const membersKey = (members: readonly GroupParticipant[]): string =>
  members
    .map((member) => `${member.jid}:${member.isAdmin ? 1 : 0}`)
    .sort()
    .join(',');
