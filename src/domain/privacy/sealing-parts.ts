import { hasMemberFields, isMemberKey } from './member-fields.js';
import type { JsonData } from './sealed-data.js';

/** Personal fields of a group's message that belong to the group, not to its author (the group's subject). */
const groupOwnedFields: ReadonlySet<string> = new Set(['chatName']);

const phoneJid = /^([1-9]\d{6,14})@c\.us$/;
const phoneDigits = /^\+?([1-9]\d{6,14})(@c\.us)?$/;

/** Who wrote the group message that an edit changes, as the gateway knows it (its Messages row). */
export interface EditedMessageAuthor {
  from: string;
  fromMe: boolean;
}

/**
 * Whose key seals what a contact wrote in a group (never the session's own messages): a message's author, the
 * author of the message an edit changes (WhatsApp lets only the author edit), a poll vote's voter, whoever
 * reacted. The contact
 * is its phone number, from the JID (`<phone>@c.us`) or `senderPhone`; else, when it is known by its
 * linked-device id alone, that id's key (`lid:<id>@lid`, which the contact's erasure destroys once the id is
 * known to be its); else undefined (the group's key then).
 */
export function groupAuthorContact(
  eventType: string,
  data: JsonData,
  editedAuthor?: EditedMessageAuthor,
): string | undefined {
  switch (eventType) {
    case 'MessageReceived':
      if (data.fromMe === true) return undefined;
      return authorContact(data.from, data.senderPhone);
    case 'MessageEdited':
      return editedAuthor && !editedAuthor.fromMe ? authorContact(editedAuthor.from) : undefined;
    case 'PollVoted':
    case 'MessageReacted':
      return authorContact(data.from);
    default:
      return undefined;
  }
}

/**
 * Whose key seals an event of a stream that is not a chat (a session's): a call's caller, by its phone or its
 * linked-device id; the phone number a linked-device id was learned to stand for; a group's, for WhatsApp's
 * report of its members' changes (each member's id goes under its own key); undefined for events that carry no
 * contact's personal data.
 */
export function contactOfEvent(eventType: string, data: JsonData): string | undefined {
  switch (eventType) {
    case 'IncomingCallReceived':
      return authorContact(data.from);
    case 'ContactLidMapped':
      // The number a linked-device id stands for; a mapping that names no phone number seals nothing.
      return typeof data.phoneJid === 'string' ? phoneJid.exec(data.phoneJid)?.[1] : undefined;
    case 'GroupParticipantsChanged':
      // Each member under its own key (sealingParts); an id of neither kind under the group's.
      return typeof data.groupJid === 'string' ? `group:${data.groupJid}` : undefined;
    default:
      return undefined;
  }
}

function authorContact(from: unknown, senderPhone?: unknown): string | undefined {
  const jid = typeof from === 'string' ? from : '';
  const phone =
    phoneJid.exec(jid)?.[1] ??
    (typeof senderPhone === 'string' ? phoneDigits.exec(senderPhone)?.[1] : undefined);
  if (phone) return phone;
  return jid.endsWith('@lid') ? `lid:${jid}` : undefined;
}

/** One set of an event's personal fields and the contact whose key seals it. */
export interface SealingPart {
  contact: string;
  personal: JsonData;
}

/**
 * Whose keys seal an event's personal fields. The members a group event names go each under their own key. In a
 * one-to-one chat, all go under the chat's contact. In a group, what a contact wrote (a message, an edit of it, a vote) goes under that contact's own key, so that
 * erasing the contact erases it, and what belongs to the group (its subject) under the group's; the session's
 * own messages and edits stay under the group's.
 *
 * @example
 * sealingParts('group:123@g.us', 'MessageReceived', { from: '5511…@c.us', fromMe: false }, { body: 'oi', chatName: 'Time' });
 * // [{ contact: '5511…', personal: { body: 'oi' } }, { contact: 'group:123@g.us', personal: { chatName: 'Time' } }]
 */
export function sealingParts(
  streamContact: string,
  eventType: string,
  data: JsonData,
  personal: JsonData,
  editedAuthor?: EditedMessageAuthor,
): SealingPart[] {
  const { ofMembers, rest } = membersApart(eventType, personal);
  const author = streamContact.startsWith('group:')
    ? groupAuthorContact(eventType, data, editedAuthor)
    : undefined;
  if (author === undefined) return nonEmpty([...ofMembers, { contact: streamContact, personal: rest }]);
  const ofAuthor: JsonData = {};
  const ofGroup: JsonData = {};
  for (const [field, value] of Object.entries(rest))
    (groupOwnedFields.has(field) ? ofGroup : ofAuthor)[field] = value;
  return nonEmpty([
    ...ofMembers,
    { contact: author, personal: ofAuthor },
    { contact: streamContact, personal: ofGroup },
  ]);
}

const nonEmpty = (parts: SealingPart[]): SealingPart[] =>
  parts.filter((part) => Object.keys(part.personal).length > 0);

/**
 * A group's members named by the event (member-fields.ts), each under its own contact's key (by phone, or by
 * linked-device id); the ids of neither kind stay with the rest of the event's personal fields.
 */
function membersApart(eventType: string, personal: JsonData) {
  if (!hasMemberFields(eventType)) return { ofMembers: [], rest: personal };
  const byContact = new Map<string, JsonData>();
  const rest: JsonData = {};
  for (const [field, value] of Object.entries(personal)) {
    const contact = isMemberKey(eventType, field) ? authorContact(value) : undefined;
    if (contact === undefined) {
      rest[field] = value;
      continue;
    }
    const fields = byContact.get(contact) ?? {};
    fields[field] = value;
    byContact.set(contact, fields);
  }
  const ofMembers = [...byContact].map(([contact, fields]): SealingPart => ({ contact, personal: fields }));
  return { ofMembers, rest };
}
