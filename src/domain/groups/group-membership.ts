import type { GroupParticipant } from '../chat/chat-events.js';

/**
 * A group's members after a change, in the order they joined. WhatsApp's own reports name more actions than
 * the gateway's commands: `join` and `invite` add, `leave` removes; others (a subject change …) leave the members
 * as they were.
 */
export function changeMembers(
  members: readonly GroupParticipant[],
  /** One of the commands' actions (GroupAction) or any action WhatsApp reports. */
  action: string,
  participants: readonly string[],
): GroupParticipant[] {
  // An erased member's id reads as '' (domain/privacy/member-fields.ts): it names no one.
  const named = new Set(participants.filter((jid) => jid !== ''));
  switch (action) {
    case 'add':
    case 'join':
    case 'invite': {
      const known = new Set(members.map((member) => member.jid));
      const added = [...named].filter((jid) => !known.has(jid)).map((jid) => ({ jid, isAdmin: false }));
      return [...members, ...added];
    }
    case 'remove':
    case 'leave':
      return members.filter((member) => !named.has(member.jid));
    case 'promote':
    case 'demote':
      return members.map((member) =>
        named.has(member.jid) ? { ...member, isAdmin: action === 'promote' } : member,
      );
    default:
      return [...members];
  }
}
