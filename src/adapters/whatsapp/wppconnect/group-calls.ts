import type { GroupAction } from '../../../domain/chat/chat-events.js';
import {
  GroupCallFailedError,
  GroupChangeRefusedError,
  GroupNotFoundError,
  type CreatedGroup,
  type DriverSession,
  type GroupParticipantsChange,
  type ListedGroup,
  type RefusedParticipant,
} from '../port.js';
import { TimedOutError } from './with-timeout.js';
import type { WppClient } from './wpp-client.js';

type GroupCalls = Pick<
  DriverSession,
  'createGroup' | 'changeGroupParticipants' | 'leaveGroup' | 'listGroups'
>;

/**
 * The port's group commands on WPPConnect 2.3.3's group layer, each one `page.evaluate` of a WA-JS function:
 * `createGroup(subject, ids)` (`WPP.group.create`), `addParticipant` (`addParticipants`), `removeParticipant`,
 * `promoteParticipant`, `demoteParticipant` (`…Participants`, which refuse the whole change when one of the ids
 * is not a member), `leaveGroup` (`WPP.group.leave`) and `getAllGroups(false)` (`WPP.chat.list({ onlyGroups })`,
 * each group's metadata ensured). `bounded` puts a time limit on each.
 */
export function wppGroupCalls(
  client: () => WppClient,
  bounded: <T>(promise: Promise<T>, operation: string) => Promise<T>,
): GroupCalls {
  const call = async <T>(groupJid: string | null, operation: string, run: (wpp: WppClient) => Promise<T>) => {
    const wpp = client();
    try {
      return await bounded(run(wpp), operation);
    } catch (error) {
      throw groupError(groupJid, error);
    }
  };

  return {
    async createGroup(subject, participants) {
      const answer = await call(null, 'creating a group', (wpp) =>
        wpp.createGroup(subject, [...participants]),
      );
      const own = await call(null, 'reading the own id', (wpp) => wpp.getWid());
      return createdGroupOf(answer, serializedId(own), participants);
    },
    async changeGroupParticipants(groupJid, action, participants) {
      const ids = [...participants];
      const answer = await call(groupJid, `${action} in a group`, (wpp) =>
        participantCall(wpp, action)(groupJid, ids),
      );
      if (action !== 'add') return { changed: ids, refused: [] };
      return addResultOf(answer, ids);
    },
    async leaveGroup(groupJid) {
      await call(groupJid, 'leaving a group', (wpp) => wpp.leaveGroup(groupJid));
    },
    async listGroups() {
      const chats = await call(null, 'listing the groups', (wpp) => wpp.getAllGroups(false));
      return chats.flatMap((chat) => {
        const listed = listedGroupOf(chat);
        return listed ? [listed] : [];
      });
    },
  };
}

function participantCall(wpp: WppClient, action: GroupAction) {
  switch (action) {
    case 'add':
      return (groupId: string, ids: string[]) => wpp.addParticipant(groupId, ids);
    case 'remove':
      return (groupId: string, ids: string[]) => wpp.removeParticipant(groupId, ids);
    case 'promote':
      return (groupId: string, ids: string[]) => wpp.promoteParticipant(groupId, ids);
    case 'demote':
      return (groupId: string, ids: string[]) => wpp.demoteParticipant(groupId, ids);
  }
}

/** WA-JS's WPPError codes (in the page error's message) for a group the session is not in. */
const notFound = /group_not_found|not_a_group|group not found|not a group|you_are_not_in_group/i;

function groupError(groupJid: string | null, error: unknown): Error {
  if (error instanceof TimedOutError) return new GroupCallFailedError(error.message, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  if (groupJid && notFound.test(reason)) return new GroupNotFoundError(groupJid);
  return new GroupChangeRefusedError(reason);
}

/**
 * `WPP.group.create`'s answer, `{ gid, participants: { [id]: { code, … } } }` (code 200: added), as the group
 * made: the session (its creator, an admin) and those added; the others refused with WhatsApp's code.
 */
export function createdGroupOf(
  answer: unknown,
  ownJid: string | null,
  asked: readonly string[],
): CreatedGroup {
  const { gid, participants } = (answer ?? {}) as { gid?: unknown; participants?: unknown };
  const groupJid = serializedId(gid);
  if (!groupJid?.endsWith('@g.us'))
    throw new GroupCallFailedError(`WhatsApp answered no group id (${JSON.stringify(answer)})`);
  const { changed, refused } = resultsOf(participants, asked);
  const members = changed.filter((jid) => jid !== ownJid).map((jid) => ({ jid, isAdmin: false }));
  return {
    groupJid,
    participants: [...(ownJid ? [{ jid: ownJid, isAdmin: true }] : []), ...members],
    refused,
  };
}

/** `WPP.group.addParticipants`' answer, `{ [id]: { code, message, … } }`, per participant. */
export function addResultOf(answer: unknown, asked: readonly string[]): GroupParticipantsChange {
  const result = resultsOf(answer, asked);
  if (result.changed.length === 0 && result.refused.length > 0)
    throw new GroupChangeRefusedError(result.refused.map((r) => `${r.jid}: ${r.reason}`).join('; '));
  return result;
}

/** The reason given for a participant WhatsApp's answer does not name. */
export const notAnswered =
  'WhatsApp’s answer does not name it (it may know the number by another JID: see the participants)';

/**
 * Per participant, as WhatsApp answered (it may name a participant otherwise than asked, e.g. by the JID it
 * knows the number by); a participant asked for whom the answer says nothing is refused.
 */
function resultsOf(perParticipant: unknown, asked: readonly string[]): GroupParticipantsChange {
  const entries = Object.entries(
    typeof perParticipant === 'object' && perParticipant !== null ? perParticipant : {},
  ) as [string, { code?: unknown; message?: unknown; wid?: unknown } | undefined][];
  const changed: string[] = [];
  const refused: RefusedParticipant[] = [];
  const answered = new Set<string>();
  for (const [key, entry] of entries) {
    const jid = serializedId(entry?.wid) ?? key;
    answered.add(key).add(jid);
    if (Number(entry?.code) === 200) changed.push(jid);
    else {
      const message = typeof entry?.message === 'string' ? entry.message : 'refused';
      refused.push({ jid, reason: `${message} (code ${String(entry?.code)})` });
    }
  }
  for (const jid of asked) if (!answered.has(jid)) refused.push({ jid, reason: notAnswered });
  return { changed, refused };
}

/** A WhatsApp id as WPPConnect hands it over: a string, or a serialized Wid (`_serialized`, or `user`+`server`). */
/** One chat of `getAllGroups`: the group's id, its `groupMetadata` (`subject`, `desc`, `participants`). */
export function listedGroupOf(chat: unknown): ListedGroup | undefined {
  if (typeof chat !== 'object' || chat === null) return undefined;
  const { id, name, groupMetadata } = chat as { id?: unknown; name?: unknown; groupMetadata?: unknown };
  const groupJid = serializedId(id);
  if (!groupJid?.endsWith('@g.us')) return undefined;
  const metadata = (typeof groupMetadata === 'object' && groupMetadata) || {};
  const { subject, desc, participants } = metadata as {
    subject?: unknown;
    desc?: unknown;
    participants?: unknown;
  };
  const named =
    typeof subject === 'string' && subject ? subject : typeof name === 'string' && name ? name : null;
  const members = (Array.isArray(participants) ? participants : []).flatMap((member: unknown) => {
    if (typeof member !== 'object' || member === null) return [];
    const {
      id: memberId,
      isAdmin,
      isSuperAdmin,
    } = member as {
      id?: unknown;
      isAdmin?: unknown;
      isSuperAdmin?: unknown;
    };
    const jid = serializedId(memberId);
    return jid ? [{ jid, isAdmin: isAdmin === true || isSuperAdmin === true }] : [];
  });
  return {
    groupJid,
    subject: named,
    description: typeof desc === 'string' && desc ? desc : null,
    participants: members,
  };
}

function serializedId(id: unknown): string | null {
  if (typeof id === 'string') return id;
  if (typeof id !== 'object' || id === null) return null;
  const { _serialized, user, server } = id as { _serialized?: unknown; user?: unknown; server?: unknown };
  if (typeof _serialized === 'string') return _serialized;
  return typeof user === 'string' && typeof server === 'string' ? `${user}@${server}` : null;
}
