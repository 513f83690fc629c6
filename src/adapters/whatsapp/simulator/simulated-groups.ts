import { randomInt } from 'node:crypto';
import type { GroupAction, GroupParticipant } from '../../../domain/chat/chat-events.js';
import {
  GroupChangeRefusedError,
  GroupNotFoundError,
  type CreatedGroup,
  type GroupParticipantsChange,
  type ListedGroup,
  type RefusedParticipant,
} from '../port.js';
import { isMissingChat } from './simulated-numbers.js';

interface SimulatedGroup {
  subject: string;
  description?: string;
  /** Members by JID, and whether each is an admin. */
  members: Map<string, boolean>;
}

/**
 * The groups one session's phone is in, as WhatsApp's servers keep them, so that later commands meet the
 * membership earlier ones left: removing a non-member is refused, a non-admin cannot change members, a group
 * left is gone. Like WA-JS, adding answers per participant, while removing, promoting and demoting refuse the
 * whole change when one of them is not a member.
 */
export class SimulatedGroups {
  private readonly groups = new Map<string, SimulatedGroup>();

  constructor(private readonly ownJid: () => string) {}

  create(subject: string, participants: readonly string[]): CreatedGroup {
    if (!subject.trim()) throw new GroupChangeRefusedError('a group needs a subject');
    // 18 digits starting 120363, as WhatsApp's group ids are today.
    const groupJid = `120363${String(randomInt(1e6)).padStart(6, '0')}${String(randomInt(1e6)).padStart(6, '0')}@g.us`;
    const group: SimulatedGroup = { subject, members: new Map([[this.ownJid(), true]]) };
    const refused = this.addTo(group, participants);
    this.groups.set(groupJid, group);
    return { groupJid, participants: membersOf(group), refused };
  }

  change(groupJid: string, action: GroupAction, participants: readonly string[]): GroupParticipantsChange {
    const group = this.groups.get(groupJid);
    if (!group) throw new GroupNotFoundError(groupJid);
    if (group.members.get(this.ownJid()) !== true)
      throw new GroupChangeRefusedError(`the session is not an admin of ${groupJid}`);
    if (action === 'add') {
      const refused = this.addTo(group, participants);
      const refusedJids = new Set(refused.map((r) => r.jid));
      return { changed: unique(participants).filter((jid) => !refusedJids.has(jid)), refused };
    }
    const strangers = unique(participants).filter((jid) => !group.members.has(jid));
    if (strangers.length > 0)
      throw new GroupChangeRefusedError(`not a participant of ${groupJid}: ${strangers.join(', ')}`);
    for (const jid of unique(participants))
      if (action === 'remove') group.members.delete(jid);
      else group.members.set(jid, action === 'promote');
    return { changed: unique(participants), refused: [] };
  }

  leave(groupJid: string): void {
    if (!this.groups.delete(groupJid)) throw new GroupNotFoundError(groupJid);
  }

  /** An admin changed the group's description (WhatsApp reports no participant change for it). */
  describe(groupJid: string, description: string): void {
    const group = this.groups.get(groupJid);
    if (!group) throw new GroupNotFoundError(groupJid);
    group.description = description;
  }

  /** The groups the phone is in, as WhatsApp lists them. */
  list(): ListedGroup[] {
    return [...this.groups].map(([groupJid, group]) => ({
      groupJid,
      subject: group.subject || null,
      description: group.description ?? null,
      participants: membersOf(group),
    }));
  }

  /** What a contact did to a group (the simulator's `/group-update`): the phone learns of it as WhatsApp tells. */
  applyReported(groupJid: string, action: GroupAction, participants: readonly string[]): void {
    const group = this.groups.get(groupJid) ?? { subject: '', members: new Map<string, boolean>() };
    for (const jid of participants)
      if (action === 'add') group.members.set(jid, group.members.get(jid) ?? false);
      else if (action === 'remove') group.members.delete(jid);
      else if (group.members.has(jid)) group.members.set(jid, action === 'promote');
    if (group.members.has(this.ownJid())) this.groups.set(groupJid, group);
    else this.groups.delete(groupJid);
  }

  private addTo(group: SimulatedGroup, participants: readonly string[]): RefusedParticipant[] {
    const refused: RefusedParticipant[] = [];
    for (const jid of unique(participants)) {
      if (isMissingChat(jid)) refused.push({ jid, reason: 'not on WhatsApp' });
      else if (group.members.has(jid)) refused.push({ jid, reason: 'already a participant' });
      else group.members.set(jid, false);
    }
    return refused;
  }
}

const unique = (jids: readonly string[]): string[] => [...new Set(jids)];

function membersOf(group: SimulatedGroup): GroupParticipant[] {
  return [...group.members].map(([jid, isAdmin]) => ({ jid, isAdmin }));
}
