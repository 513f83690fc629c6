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

/** A WhatsApp id as WPPConnect passes it: a serialized string, or a Wid object carrying `_serialized`. */
export function serializedId(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  return stringField(value, '_serialized');
}

/** A message key serializes as `<fromMe>_<chat jid>_<id>[_<participant>]`; the chat is the second part. */
export function chatOfMessageKey(key: string): string | null {
  const match = /^(?:true|false)_([^_]+@[^_]+)_/.exec(key);
  return match?.[1] ?? null;
}
