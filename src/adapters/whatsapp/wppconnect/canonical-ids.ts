import type { IncomingWhatsAppMessage } from '../port.js';
import type { ContactDirectory } from './contact-directory.js';

/**
 * A message with its chat, sender and recipient under their canonical ids: WhatsApp increasingly addresses
 * contacts (and group members) by linked-device ids (`…@lid`), even in answer to a message sent to their phone
 * JID; kept under the phone JID, a conversation stays one chat and its sender keeps a phone number. The `@lid`
 * id is kept as `senderLid`. A group without a name is named from its metadata.
 */
export async function withCanonicalIds(
  message: IncomingWhatsAppMessage,
  directory: ContactDirectory,
): Promise<IncomingWhatsAppMessage> {
  const [chatJid, from, to] = await Promise.all([
    directory.canonical(message.chatJid),
    directory.canonical(message.from),
    directory.canonical(message.to),
  ]);
  const senderLid = from !== message.from ? message.from : (message.senderLid ?? null);
  const chatName = message.chatName ?? (message.isGroup ? await directory.groupName(chatJid) : null);
  return {
    ...message,
    chatJid,
    from,
    to,
    senderPhone: from.endsWith('@c.us') ? from.slice(0, -'@c.us'.length) : message.senderPhone,
    chatName,
    ...(senderLid ? { senderLid } : {}),
  };
}
