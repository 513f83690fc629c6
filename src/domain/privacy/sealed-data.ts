import { erasedMember, hasMemberFields, putMember, takeMembers } from './member-fields.js';
import { personalFields } from './personal-fields.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonData = { [key: string]: Json };

/** The key under which a stored event keeps its sealed personal fields. */
export const sealedKey = '$sealed';

/** Marks the data of an event whose contact was erased: its personal fields read as their erased values. */
export const erasedMarker = 'erased';

/**
 * Splits an event's data into what stays clear and its personal fields (by path, only those present; a group's
 * members by their element's key, member-fields.ts), or undefined when it has none.
 *
 * @example
 * splitPersonal('MessageEdited', { waMessageId: 'w1', body: 'hi', editedAt: 1 });
 * // { clear: { waMessageId: 'w1', editedAt: 1 }, personal: { body: 'hi' } }
 */
export function splitPersonal(
  eventType: string,
  data: JsonData,
): { clear: JsonData; personal: JsonData } | undefined {
  const fields = personalFields[eventType] ?? [];
  if (fields.length === 0 && !hasMemberFields(eventType)) return undefined;
  const clear: JsonData = { ...data };
  const personal: JsonData = {};
  let media: JsonData | undefined;
  for (const { path, personalIn } of fields) {
    if (personalIn && !personalIn(data)) continue;
    if (path.length === 1) {
      const [key] = path;
      if (key in clear) {
        personal[key] = clear[key]!;
        delete clear[key];
      }
      continue;
    }
    const source = data.media;
    if (!isObject(source) || !(path[1] in source)) continue;
    media ??= { ...source };
    personal[`media.${path[1]}`] = media[path[1]]!;
    delete media[path[1]];
  }
  if (media) clear.media = media;
  takeMembers(eventType, clear, personal);
  return Object.keys(personal).length === 0 ? undefined : { clear, personal };
}

/** The event's data again, from what stayed clear and its opened personal fields. */
export function mergePersonal(clear: JsonData, personal: JsonData): JsonData {
  const data: JsonData = { ...clear };
  const copiedLists = new Set<string>();
  for (const [key, value] of Object.entries(personal)) {
    if (putMember(data, key, value, copiedLists)) continue;
    if (!key.startsWith('media.')) data[key] = value;
    else if (isObject(data.media)) data.media = { ...data.media, [key.slice('media.'.length)]: value };
  }
  return data;
}

/** The data of an event whose key was destroyed: each sealed field as its erased value, and `erased: true`. */
export function erasedData(eventType: string, clear: JsonData, sealedFields: readonly string[]): JsonData {
  const erasedValues = new Map(
    (personalFields[eventType] ?? []).map((field) => [field.path.join('.'), field.erased]),
  );
  const personal: JsonData = Object.fromEntries(
    sealedFields.map((field): [string, Json] => [
      field,
      copyOf(erasedValues.has(field) ? erasedValues.get(field)! : erasedMember(field)),
    ]),
  );
  return { ...mergePersonal(clear, personal), [erasedMarker]: true };
}

const copyOf = (value: Json): Json => (Array.isArray(value) ? [] : value);

function isObject(value: Json | undefined): value is JsonData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
