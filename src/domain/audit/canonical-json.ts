/**
 * The one byte form of a JSON value that every writer and verifier agrees on, so that a hash taken when an event
 * was stored can be taken again from the same event read back from the database, from EventStoreDB or from an
 * exported file. It is JCS (RFC 8785): object keys sorted by UTF-16 code units, no whitespace, strings and
 * numbers exactly as `JSON.stringify` writes them (ECMAScript's shortest round-trip number form). It gives the
 * same text `JSON.stringify` would give for the same value with sorted keys: `toJSON` is honoured, properties
 * whose value is undefined, a function or a symbol are left out, and such array items, like non-finite numbers,
 * become `null`.
 *
 * @example
 * canonicalJson({ b: [1, 'x'], a: { d: null, c: true } }); // '{"a":{"c":true,"d":null},"b":[1,"x"]}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, true) ?? 'null';
}

function write(input: unknown, inArray: boolean): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('A bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item: unknown) => write(item, true)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = write(record[key], false);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
