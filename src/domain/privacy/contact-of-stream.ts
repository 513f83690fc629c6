/**
 * Whose key seals a stream's personal fields: in a one-to-one chat (`chat-<sessionId>_<phone>@c.us`) the
 * contact's phone number; a group's or a linked-device chat's events are sealed with a key of the group
 * (`group:<jid>`) or of the linked-device id (`lid:<jid>`). What a contact writes in a group goes under the
 * author's key instead (sealing-parts.ts); erasing a phone number destroys the keys of the linked-device ids
 * known to be that contact's too (app/privacy/contact-lids.ts). Streams that are not chats hold no contact's
 * personal fields: undefined.
 *
 * @example
 * contactOfStream('chat-7b0c…_5511999999999@c.us'); // '5511999999999'
 */
export function contactOfStream(streamName: string): string | undefined {
  if (!streamName.startsWith('chat-')) return undefined;
  const separator = streamName.indexOf('_');
  if (separator < 0) return undefined;
  const jid = streamName.slice(separator + 1);
  if (jid.endsWith('@c.us')) return jid.slice(0, -'@c.us'.length);
  if (jid.endsWith('@g.us')) return `group:${jid}`;
  return jid ? `lid:${jid}` : undefined;
}

/** The one-to-one chat JID of a phone number, as chat streams and read models name it. */
export const individualChatJid = (phone: string): string => `${phone}@c.us`;
