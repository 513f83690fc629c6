/** A WhatsApp address: a person (`@c.us`), a group (`@g.us`) or a linked-device id (`@lid`). */
export type Jid = string & { readonly __brand: 'Jid' };

export type JidKind = 'individual' | 'group' | 'lid';

export class InvalidJidError extends Error {
  override readonly name = 'InvalidJidError';

  constructor(readonly input: string) {
    super(
      `${JSON.stringify(input)} is not a WhatsApp address: use the number in international format, digits only ` +
        `(for example 5511999999999), optionally ending in @c.us, or a group id ending in @g.us`,
    );
  }
}

const individual = /^[1-9]\d{6,14}@c\.us$/;
const group = /^\d{6,20}(-\d{6,20})?@g\.us$/;
const lid = /^\d{6,20}@lid$/;
const bareNumber = /^\+?[1-9]\d{6,14}$/;

/**
 * Normalises what a client typed into a JID: bare digits (with an optional leading +) become `@c.us`;
 * `@c.us`, `@g.us` and `@lid` addresses are kept.
 *
 * @example
 * toJid('5511999999999'); // '5511999999999@c.us'
 */
export function toJid(input: string): Jid {
  const value = input.trim();
  if (bareNumber.test(value)) return `${value.replace(/^\+/, '')}@c.us` as Jid;
  if (individual.test(value) || group.test(value) || lid.test(value)) return value as Jid;
  throw new InvalidJidError(input);
}

export function jidKind(jid: Jid): JidKind {
  if (jid.endsWith('@g.us')) return 'group';
  if (jid.endsWith('@lid')) return 'lid';
  return 'individual';
}

/** The phone number of an individual's JID; undefined for groups and linked-device ids. */
export function phoneOf(jid: Jid): string | undefined {
  return jid.endsWith('@c.us') ? jid.slice(0, -'@c.us'.length) : undefined;
}
