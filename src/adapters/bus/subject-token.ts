/**
 * Ids inside NATS subjects. A token cannot hold `.` (it would split the subject, so `wa.*.*.Type` no longer
 * matches), `*`, `>` or white space, and non-ASCII is best avoided. Company and session ids may hold any of them
 * (`acme.com.br`), so every id is escaped, reversibly, so that two ids never share a token: letters, digits,
 * `_` and `-` stay; every other UTF-8 byte becomes `%XX` (upper-case hex); the empty id becomes `%`.
 */

const kept = /^[A-Za-z0-9_-]$/;
const emptyToken = '%';

/**
 * The subject token of an id.
 *
 * @example
 * subjectToken('acme.com.br'); // 'acme%2Ecom%2Ebr'
 * subjectToken('São Paulo'); // 'S%C3%A3o%20Paulo'
 */
export function subjectToken(id: string): string {
  if (id === '') return emptyToken;
  let token = '';
  for (const character of id) {
    if (kept.test(character)) token += character;
    else for (const byte of Buffer.from(character, 'utf8')) token += `%${hex(byte)}`;
  }
  return token;
}

/**
 * The id a subject token stands for: the inverse of `subjectToken`.
 *
 * @example
 * idFromSubjectToken('acme%2Ecom%2Ebr'); // 'acme.com.br'
 */
export function idFromSubjectToken(token: string): string {
  if (token === emptyToken) return '';
  return decodeURIComponent(token);
}

/**
 * The subject of a stored event: `<root>.<companyId>.<sessionId>.<EventType>`, each id escaped.
 *
 * @example
 * eventSubject('acme.com.br', 's1', 'MessageSendRequested', 'wa'); // 'wa.acme%2Ecom%2Ebr.s1.MessageSendRequested'
 */
export function eventSubject(companyId: string, sessionId: string, eventType: string, root = 'wa'): string {
  return [root, subjectToken(companyId), subjectToken(sessionId), subjectToken(eventType)].join('.');
}

/**
 * A pattern over event subjects: each part given matches that id only, each part left out matches any.
 *
 * @example
 * eventPattern('wa', { eventType: 'SessionDeleted' }); // 'wa.*.*.SessionDeleted'
 * eventPattern('wa', { companyId: 'acme.com.br' }); // 'wa.acme%2Ecom%2Ebr.*.*'
 */
export function eventPattern(
  root: string,
  parts: { companyId?: string; sessionId?: string; eventType?: string } = {},
): string {
  const part = (id: string | undefined) => (id === undefined ? '*' : subjectToken(id));
  return [root, part(parts.companyId), part(parts.sessionId), part(parts.eventType)].join('.');
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
