import type { JsonData } from './sealed-data.js';

/** Personal fields of a group's message that belong to the group, not to its author (the group's subject). */
const groupOwnedFields: ReadonlySet<string> = new Set(['chatName']);

const phoneJid = /^([1-9]\d{6,14})@c\.us$/;
const phoneDigits = /^\+?([1-9]\d{6,14})(@c\.us)?$/;

/**
 * Whose key seals what a contact wrote in a group (not the session's own messages): its phone number, from
 * `from` (`<phone>@c.us`) or `senderPhone`; else, when it is known by its linked-device id alone, that id's key
 * (`lid:<id>@lid`, which the contact's erasure destroys once the id is known to be its); else undefined.
 */
export function groupAuthorContact(eventType: string, data: JsonData): string | undefined {
  if (eventType !== 'MessageReceived' || data.fromMe === true) return undefined;
  const from = typeof data.from === 'string' ? data.from : '';
  const phone =
    phoneJid.exec(from)?.[1] ??
    (typeof data.senderPhone === 'string' ? phoneDigits.exec(data.senderPhone)?.[1] : undefined);
  if (phone) return phone;
  return from.endsWith('@lid') ? `lid:${from}` : undefined;
}

/** One set of an event's personal fields and the contact whose key seals it. */
export interface SealingPart {
  contact: string;
  personal: JsonData;
}

/**
 * Whose keys seal an event's personal fields. In a one-to-one chat, all go under the chat's contact. In a
 * group, what a contact wrote goes under the author's own key (so erasing the author erases it), and what
 * belongs to the group (its subject) under the group's; the session's own messages stay under the group's.
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
): SealingPart[] {
  const author = streamContact.startsWith('group:') ? groupAuthorContact(eventType, data) : undefined;
  if (author === undefined) return [{ contact: streamContact, personal }];
  const ofAuthor: JsonData = {};
  const ofGroup: JsonData = {};
  for (const [field, value] of Object.entries(personal))
    (groupOwnedFields.has(field) ? ofGroup : ofAuthor)[field] = value;
  return [
    { contact: author, personal: ofAuthor },
    { contact: streamContact, personal: ofGroup },
  ].filter((part) => Object.keys(part.personal).length > 0);
}
