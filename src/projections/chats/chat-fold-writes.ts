import { sql } from 'kysely';
import type { ChatFold } from './chat-fold.js';
import { inChunks } from '../in-rounds.js';
import { chatsColumns } from '../read-model-columns.js';
import { columnsOf, unnestRows } from '../unnest-rows.js';
import type { ReadModelWriter } from '../projector.js';

const keyOf = (row: { Session_Id: string; Chat_Id: string }) => `${row.Session_Id}|${row.Chat_Id}`;

/**
 * Merges each fold into its chat's row, where the row exists and has seen none of the fold's events (its
 * Last_Revision is below the first of them). Returns the keys of the chats merged.
 */
export async function mergeIntoExistingChats(
  db: ReadModelWriter,
  folds: readonly ChatFold[],
): Promise<Set<string>> {
  const merged = new Set<string>();
  for (const chunk of inChunks(folds, 1000)) {
    const column = <T>(value: (fold: ChatFold) => T) => chunk.map(value);
    const rows = await db
      .updateTable('Chats')
      .from(
        sql<Record<string, unknown>>`(select
            unnest(${column((f) => f.sessionId)}::uuid[]) as session_id,
            unnest(${column((f) => f.chatJid)}::text[]) as chat_id,
            unnest(${column((f) => f.firstRevision)}::bigint[]) as first_revision,
            unnest(${column((f) => f.lastRevision)}::bigint[]) as last_revision,
            unnest(${column((f) => f.chatName)}::text[]) as chat_name,
            unnest(${column((f) => f.preview)}::text[]) as preview,
            unnest(${column((f) => f.time?.toISOString() ?? null)}::timestamptz[]) as time,
            unnest(${column((f) => f.read)}::boolean[]) as read,
            unnest(${column((f) => f.unreadSinceRead)}::integer[]) as unread_since_read,
            unnest(${column((f) => f.unreadTotal)}::integer[]) as unread_total)`.as('fold'),
      )
      .set({
        Chat_Name: sql`coalesce(fold.chat_name, "Chats"."Chat_Name")`,
        Last_Message: sql`case when fold.time >= coalesce("Chats"."Last_Message_Time", '-infinity'::timestamptz) then fold.preview else "Chats"."Last_Message" end`,
        Last_Message_Time: sql`greatest(fold.time, "Chats"."Last_Message_Time")`,
        Unread_Count: sql`case when fold.read then fold.unread_since_read else "Chats"."Unread_Count" + fold.unread_total end`,
        Last_Revision: sql`fold.last_revision`,
      })
      .where(sql<boolean>`"Chats"."Session_Id" = fold.session_id`)
      .where(sql<boolean>`"Chats"."Chat_Id" = fold.chat_id`)
      .where(sql<boolean>`"Chats"."Last_Revision" < fold.first_revision`)
      .returning(['Chats.Session_Id', 'Chats.Chat_Id'])
      .execute();
    for (const row of rows) merged.add(keyOf(row));
  }
  return merged;
}

/** Creates the rows of chats that have none yet; a chat whose row appeared meanwhile is left out. */
export async function createMissingChats(
  db: ReadModelWriter,
  folds: readonly ChatFold[],
): Promise<Set<string>> {
  const created = new Set<string>();
  const rows = folds.flatMap((fold) => (fold.newRow ? [fold.newRow] : []));
  for (const chunk of inChunks(rows, 1000)) {
    const inserted = await db
      .insertInto('Chats')
      .columns(columnsOf(chatsColumns))
      .expression(unnestRows(chunk, chatsColumns))
      .onConflict((oc) => oc.doNothing())
      .returning(['Session_Id', 'Chat_Id'])
      .execute();
    for (const row of inserted) created.add(keyOf(row));
  }
  return created;
}
