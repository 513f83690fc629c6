import { sql } from 'kysely';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { individualNumber } from '../read-model-keys.js';

export type ChatErasedEvent = Extract<ProjectedEvent, { type: 'ChatErased' }>;

/** The chat a ChatErased event scrubs: its session and its JID (from the stream's name). */
export function erasedChatOf(event: ChatErasedEvent): { sessionId: string; chatJid: string } {
  const { sessionId } = event.metadata;
  return { sessionId, chatJid: event.streamName.slice(`chat-${sessionId}_`.length) };
}

/**
 * The chat's messages (and the gateway's edits to them) as they were before the erasure lose their personal
 * fields for good; messages that came after it keep theirs. Which fields: domain/privacy/personal-fields.ts.
 */
export async function eraseMessages(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  const before = event.revision.toString();
  await db
    .updateTable('Messages')
    .set({
      Body: null,
      Media_Caption: null,
      Media_File_Name: null,
      Media_Location: null,
      Media_Sha256: null,
      Sender_Name: null,
      Location: null,
      Contacts: null,
      Poll: null,
      Poll_Votes: null,
    })
    .set(sql`"Erased"`, sql`true`)
    .where('Session_Id', '=', sessionId)
    .where('Chat_Id', '=', chatJid)
    .where('Created_Revision', '<', before)
    .execute();
  await db
    .updateTable('Message_Actions')
    .set({ Body: '' })
    .where('Session_Id', '=', sessionId)
    .where('Chat_Id', '=', chatJid)
    .where('Created_Revision', '<', before)
    .execute();
}

/** The chat's name and last-message preview go (a later message brings a preview of its own). */
export async function eraseChat(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  await db
    .updateTable('Chats')
    .set({ Chat_Name: null, Last_Message: null, Last_Revision: event.revision.toString() })
    .where('Session_Id', '=', sessionId)
    .where('Chat_Id', '=', chatJid)
    .where('Last_Revision', '<', event.revision.toString())
    .execute();
}

/** The contact's name and profile picture go from the company's Clients. */
export async function eraseClient(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const phone = individualNumber(erasedChatOf(event).chatJid);
  if (phone === null) return;
  await db
    .updateTable('Clients')
    .set({ Client_Name: null, Profile_Picture_Url: null })
    .where('Company_Id', '=', event.metadata.companyId)
    .where('Wa_Number', '=', phone)
    .execute();
}
