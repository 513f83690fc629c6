/**
 * WPPConnect hands over plain objects serialized out of the WhatsApp Web page, typed loosely or not at all.
 * These guards read them field by field.
 */
export type Fields = Record<string, unknown>;

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

export function stringField(value: unknown, key: string): string | null {
  if (!isFields(value)) return null;
  const field = value[key];
  return typeof field === 'string' && field !== '' ? field : null;
}

export function numberField(value: unknown, key: string): number | null {
  if (!isFields(value)) return null;
  const field = value[key];
  return typeof field === 'number' && Number.isFinite(field) ? field : null;
}

export function booleanField(value: unknown, key: string): boolean {
  return isFields(value) && value[key] === true;
}

/**
 * A WhatsApp id as WPPConnect passes it: a serialized string, or an object carrying `_serialized`. WhatsApp Web
 * renamed a message key's string to `$1`, and WA-JS puts `_serialized` back only when it recognises the key's
 * class; without either, a message key is rebuilt from its parts and a Wid from its user and server.
 */
export function serializedId(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (!isFields(value)) return null;
  const named = stringField(value, '_serialized') ?? stringField(value, '$1');
  if (named) return named;
  const remote = serializedId(value['remote']);
  const id = stringField(value, 'id');
  if (typeof value['fromMe'] === 'boolean' && remote && id) {
    const participant = serializedId(value['participant']);
    return `${value['fromMe']}_${remote}_${id}${participant ? `_${participant}` : ''}`;
  }
  const user = stringField(value, 'user');
  const server = stringField(value, 'server');
  return user && server ? `${user}@${server}` : null;
}

/** A message key serializes as `<fromMe>_<chat jid>_<id>[_<participant>]`; the chat is the second part. */
export function chatOfMessageKey(key: string): string | null {
  const match = /^(?:true|false)_([^_]+@[^_]+)_/.exec(key);
  return match?.[1] ?? null;
}

/** Whether a message key says the session's own phone sent the message. */
export function isOwnMessageKey(key: unknown): boolean {
  if (isFields(key) && typeof key['fromMe'] === 'boolean') return key['fromMe'];
  return serializedId(key)?.startsWith('true_') ?? false;
}

/** The strings of a list of ids; anything unreadable is left out. */
export function idList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(serializedId).filter((id): id is string => id !== null);
}
