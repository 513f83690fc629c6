import type { JsonData } from './sealed-data.js';

/**
 * The members named by group events (who is in a group, who was added or removed, who made the change). Each
 * member's id is that contact's personal data, sealed under the contact's own key, so that erasing one contact
 * takes its id out of every membership event and leaves the others' (README, "Privacy: crypto-shredding").
 */
interface MemberField {
  /** The list of members: ids (`['5511…@c.us']`) or, `ofObjects`, objects whose `jid` is the id (`[{ jid, isAdmin }]`). */
  list: string;
  ofObjects?: boolean;
  /** A single member id beside the list (who made the change), null when unknown and once erased. */
  actor?: string;
}

const memberFields: Readonly<Record<string, MemberField>> = {
  GroupCreated: { list: 'participants', ofObjects: true },
  GroupSynced: { list: 'participants', ofObjects: true },
  GroupParticipantsUpdated: { list: 'participants' },
  GroupParticipantsChanged: { list: 'participants', actor: 'by' },
};

/** An element's key among an event's sealed fields: the list's name and the element's index (`participants.3`). */
const elementKey = /^([A-Za-z]+)\.(\d+)$/;

export const hasMemberFields = (eventType: string): boolean => eventType in memberFields;

/**
 * Takes the member ids out of `clear` (in place) into `personal`, by element key: a list keeps its length and
 * order, each id read as `''` until it is opened. Ids that are empty already, or an actor that is null, stay.
 */
export function takeMembers(eventType: string, clear: JsonData, personal: JsonData): void {
  const field = memberFields[eventType];
  if (!field) return;
  const list = clear[field.list];
  if (Array.isArray(list)) {
    clear[field.list] = list.map((element, index) => {
      const id = field.ofObjects ? (isObject(element) ? element.jid : undefined) : element;
      if (typeof id !== 'string' || id === '') return element;
      personal[`${field.list}.${index}`] = id;
      return field.ofObjects && isObject(element) ? { ...element, jid: '' } : '';
    });
  }
  const actor = field.actor === undefined ? undefined : clear[field.actor];
  if (field.actor !== undefined && typeof actor === 'string' && actor !== '') {
    personal[field.actor] = actor;
    clear[field.actor] = null;
  }
}

/**
 * Puts a member id back into its list element, when `key` names one (`participants.3`); false otherwise. A list
 * of objects gets the id as the element's `jid`. Each list of `data` is copied the first time (`copied` holds
 * those copied already), so that putting back all of a large group's members stays linear.
 */
export function putMember(data: JsonData, key: string, id: JsonData[string], copied: Set<string>): boolean {
  const match = elementKey.exec(key);
  if (!match) return false;
  const name = match[1]!;
  const list = data[name];
  const index = Number(match[2]);
  if (!Array.isArray(list) || index >= list.length) return true;
  const own = copied.has(name) ? list : [...list];
  copied.add(name);
  const element = own[index];
  own[index] = isObject(element) ? { ...element, jid: id } : id;
  data[name] = own;
  return true;
}

/** How an erased member's id reads: `''` in a list; null as the one who made the change. */
export const erasedMember = (key: string): '' | null => (elementKey.test(key) ? '' : null);

/** Whether this sealed field of the event is a member's id (an element of its list, or its actor). */
export function isMemberKey(eventType: string, key: string): boolean {
  const field = memberFields[eventType];
  if (!field) return false;
  if (key === field.actor) return true;
  const match = elementKey.exec(key);
  return match !== null && match[1] === field.list;
}

function isObject(value: unknown): value is JsonData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
