import { sql } from 'kysely';
import { clientKeyOf } from '../../domain/client-key.js';
import { personalFields } from '../../domain/privacy/personal-fields.js';
import { erasedData, type JsonData } from '../../domain/privacy/sealed-data.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';

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
    .set(erasedMessageColumns)
    .set({
      // Every reaction and vote here was sealed under the contact's key: a rebuild reads each as no one's.
      Reactions: sql`case when "Reactions" is null then null else '{}'::jsonb end` as never,
      Poll_Votes: sql`case when "Poll_Votes" is null then null else '{}'::jsonb end` as never,
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
  // Every change of the chat still waiting for its message was sealed under the contact's key, whoever made it.
  await eraseEarlyChanges(db, sessionId, { chatJid });
  if (isContactChat(chatJid)) await eraseGroupMessagesOf(db, sessionId, chatJid);
}

/**
 * What the contact wrote in the session's groups, its edits and poll votes (sealed under its own key:
 * domain/privacy/sealing-parts.ts).
 * Group streams have revisions of their own, so no revision bounds it: the rows there are those projected
 * before this erasure (live, and in a rebuild, which replays in the store's order); later ones stay.
 */
async function eraseGroupMessagesOf(
  db: ReadModelWriter,
  sessionId: string,
  authorJid: string,
): Promise<void> {
  await db
    .updateTable('Messages')
    .set(erasedMessageColumns)
    .set({ Poll_Votes: null })
    .set(sql`"Erased"`, sql`true`)
    .where('Session_Id', '=', sessionId)
    .where('Chat_Id', 'like', '%@g.us')
    // In a rebuild, what an erased contact wrote reads with its sender erased too (`''`, never a sender's id
    // otherwise); marking those here as well gives the rows the live erasure left.
    .where('Sender', 'in', [authorJid, ''])
    .where('From_Me', '=', false)
    .execute();
  // Its votes and reactions on the messages of others there (sealed under its key too, with its id: a rebuild
  // reads each as no one's, which adds nothing).
  for (const column of ['Poll_Votes', 'Reactions'] as const)
    await db
      .updateTable('Messages')
      .set({ [column]: sql`${sql.ref(column)} - ${authorJid}::text` as never })
      .where('Session_Id', '=', sessionId)
      .where('Chat_Id', 'like', '%@g.us')
      .where(sql<boolean>`${sql.ref(column)} ? ${authorJid}::text`)
      .execute();
  // Its reactions and votes there still waiting for their message (its edits there went under the group's key).
  await eraseEarlyChanges(db, sessionId, { from: authorJid }, ['MessageReacted', 'PollVoted']);
}

/** What a change waiting for its message reads as once its key is gone (domain/privacy/personal-fields.ts). */
const changeTypes = ['MessageReacted', 'PollVoted', 'MessageEdited'] as const;
const erasedChanges = Object.fromEntries(
  changeTypes.map((type) => [
    type,
    erasedData(
      type,
      {},
      personalFields[type]!.map((field) => field.path.join('.')),
    ),
  ]),
) as Record<(typeof changeTypes)[number], JsonData>;

/**
 * The session's changes still waiting for their message (Early_Message_Changes keeps their data), of one chat or
 * by one author, become what a rebuild reads them as.
 */
async function eraseEarlyChanges(
  db: ReadModelWriter,
  sessionId: string,
  of: { chatJid: string } | { from: string },
  types: readonly (typeof changeTypes)[number][] = changeTypes,
): Promise<void> {
  for (const type of types)
    await db
      .updateTable('Early_Message_Changes')
      .set({ Data: sql`"Data" || ${JSON.stringify(erasedChanges[type])}::jsonb` as never })
      .where('Session_Id', '=', sessionId)
      .where('Event_Type', '=', type)
      .where(
        'chatJid' in of
          ? sql<boolean>`"Chat_Id" = ${of.chatJid}`
          : sql<boolean>`"Data"->>'from' = ${of.from}`,
      )
      .execute();
}

/** A row's personal columns once erased; `Sender` only on rows a contact sent (the session's own id is not one). */
const erasedMessageColumns = {
  Sender: sql<string>`case when "From_Me" then "Sender" else '' end`,
  Mentions: null,
  Body: null,
  Media_Caption: null,
  Media_File_Name: null,
  Media_Location: null,
  Media_Sha256: null,
  Sender_Name: null,
  Location: null,
  Contacts: null,
  Poll: null,
} as const;

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
  if (!isContactChat(chatJid)) return;
  // The preview of a group may be what the contact wrote there, and the Chats row does not say who wrote its
  // last message: every group of the session loses its preview (the next message brings one). Group streams
  // have revisions of their own, so none bounds this; a rebuild, replaying in order, does the same.
  await db
    .updateTable('Chats')
    .set({ Last_Message: null })
    .where('Session_Id', '=', sessionId)
    .where('Chat_Type', '=', 'group')
    .where('Last_Message', 'is not', null)
    .execute();
}

/**
 * The contact's Clients row goes: it is its number, name and picture, and the messages it was made from read
 * back with the sender's number erased. A message the contact sends afterwards makes a new one. So do the
 * numbers its linked-device ids were learned to stand for.
 */
export async function eraseClient(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  // A chat addressed by a linked-device id: the row kept under that id while its number was unknown.
  const key = clientKeyOf(erasedChatOf(event).chatJid);
  if (key === undefined) return;
  const { companyId } = event.metadata;
  // Which number its linked-device ids stand for is the contact's too. An id erased on its own was learned to
  // be an erased contact's after the erasure (late-lid-erasure.ts): the number's row that learning merged it into
  // is the contact's, and goes (a rebuild reads that mapping erased, and never merges).
  const numbers = key.endsWith('@lid')
    ? await db
        .deleteFrom('Client_Lids')
        .where('Company_Id', '=', companyId)
        .where('Lid', '=', key)
        .returning('Phone')
        .execute()
    : await db
        .deleteFrom('Client_Lids')
        .where('Company_Id', '=', companyId)
        .where('Phone', '=', key)
        .returning('Phone')
        .execute();
  const keys = [key, ...numbers.map((row) => row.Phone)];
  await db.deleteFrom('Clients').where('Company_Id', '=', companyId).where('Wa_Number', 'in', keys).execute();
}

/** A chat whose erasure is a contact's (by phone, or by a linked-device id known to be the contact's). */
const isContactChat = (chatJid: string): boolean => clientKeyOf(chatJid) !== undefined;
