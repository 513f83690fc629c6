import { sql, type Insertable } from 'kysely';
import type { ChatsTable } from '../../adapters/db/read-model-schema.js';
import { createMissingChats, mergeIntoExistingChats } from './chat-fold-writes.js';
import { foldChatChanges } from './chat-fold.js';
import { inChunks } from '../in-rounds.js';
import type { Projector, ReadModelWriter } from '../projector.js';
import { chatChange, type ChatChange } from './chat-changes.js';

/** One row per chat of a session: name, linked client, last message and unread count. */
export const chatsProjector: Projector = {
  name: 'chats',
  tables: ['Chats'],

  // Each chat's events folded into one change: merged into the rows that exist, then the missing rows created.
  // A chat that got ahead of the batch (or whose row appeared meanwhile) takes its events one by one.
  async project(db, events) {
    const folds = foldChatChanges(events.flatMap(chatChange));
    const merged = await mergeIntoExistingChats(db, folds);
    const unmerged = folds.filter((fold) => !merged.has(fold.key));
    const created = await createMissingChats(db, unmerged);
    for (const fold of unmerged) {
      if (created.has(fold.key)) continue;
      for (const change of fold.changes) await writeChats(db, [change]);
    }
  },
};

/** Changes to distinct chats, each guarded by its chat's Last_Revision. */
async function writeChats(db: ReadModelWriter, changes: readonly ChatChange[]): Promise<void> {
  const rows = changes.flatMap((change) => (change.kind === 'activity' ? [change.row] : []));
  const reads = changes.flatMap((change) => (change.kind === 'read' ? [change] : []));
  for (const chunk of inChunks(rows, 1000)) await upsertActivity(db, chunk);
  for (const chunk of inChunks(reads, 1000)) {
    await db
      .updateTable('Chats')
      .from(
        sql<{
          session_id: string;
          chat_id: string;
          revision: string;
        }>`(select unnest(${chunk.map((r) => r.sessionId)}::uuid[]) as session_id, unnest(${chunk.map((r) => r.chatJid)}::text[]) as chat_id, unnest(${chunk.map((r) => r.revision)}::bigint[]) as revision)`.as(
          'read',
        ),
      )
      .set({ Unread_Count: 0, Last_Revision: sql`read.revision` })
      .where(sql<boolean>`"Chats"."Session_Id" = read.session_id`)
      .where(sql<boolean>`"Chats"."Chat_Id" = read.chat_id`)
      .where(sql<boolean>`"Chats"."Last_Revision" < read.revision`)
      .execute();
  }
}

async function upsertActivity(db: ReadModelWriter, rows: Insertable<ChatsTable>[]): Promise<void> {
  await db
    .insertInto('Chats')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['Session_Id', 'Chat_Id'])
        .doUpdateSet((eb) => {
          // A message WhatsApp syncs late (older than the last one shown) still counts, but does not become the preview.
          const isLatest = sql<boolean>`${eb.ref('excluded.Last_Message_Time')} >= coalesce(${eb.ref('Chats.Last_Message_Time')}, '-infinity'::timestamptz)`;
          return {
            Chat_Name: eb.fn.coalesce('excluded.Chat_Name', 'Chats.Chat_Name'),
            Last_Message: sql`case when ${isLatest} then ${eb.ref('excluded.Last_Message')} else ${eb.ref('Chats.Last_Message')} end`,
            Last_Message_Time: sql`greatest(${eb.ref('excluded.Last_Message_Time')}, ${eb.ref('Chats.Last_Message_Time')})`,
            Unread_Count: sql`${eb.ref('Chats.Unread_Count')} + ${eb.ref('excluded.Unread_Count')}`,
            Last_Revision: eb.ref('excluded.Last_Revision'),
          };
        })
        .whereRef('Chats.Last_Revision', '<', 'excluded.Last_Revision'),
    )
    .execute();
}
