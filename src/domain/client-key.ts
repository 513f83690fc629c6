/**
 * What names a contact's Clients row within a company: its phone number (`5511…@c.us` → `5511…`), or, while
 * WhatsApp hides the number behind a linked-device id, that id (`<id>@lid`) until the id is learned to be a
 * number's. Undefined for groups and anything else.
 *
 * @example
 * clientKeyOf('5511988881234@c.us'); // '5511988881234'
 * clientKeyOf('201234567890123@lid'); // '201234567890123@lid'
 */
export function clientKeyOf(jid: string): string | undefined {
  if (jid.endsWith('@c.us')) return jid.slice(0, -'@c.us'.length) || undefined;
  return jid.endsWith('@lid') ? jid : undefined;
}
