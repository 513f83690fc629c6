/** What U+0000 (NUL) becomes in a fact from outside: U+FFFD, the Unicode replacement character. */
export const nulReplacement = '\uFFFD';

/**
 * `value` with U+0000 replaced by U+FFFD in every string of it, plain objects and arrays included (other
 * objects, such as dates, are kept as they are). PostgreSQL cannot store U+0000 in text or jsonb, and a message
 * WhatsApp delivered must be kept, not dropped: so the character is replaced, visibly, before it is recorded.
 *
 * @example
 * replaceNulCharacters({ body: 'a\u0000b' }); // { body: 'a\uFFFDb' }
 */
export function replaceNulCharacters<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', nulReplacement) as T;
  if (Array.isArray(value)) return value.map(replaceNulCharacters) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [replaceNulCharacters(key), replaceNulCharacters(item)]),
  ) as T;
}
