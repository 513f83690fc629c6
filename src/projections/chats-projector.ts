import { sql } from 'kysely';
import type { ProjectedEvent } from './projected-event.js';
import type { Projector, ReadModelWriter } from './projector.js';
import { clientIdFor, fromUnixSeconds, individualNumber, messagePreview } from './read-model-keys.js';

interface ChatActivity {
  chatJid: string;
  chatName: string | null;
  preview: string;
  time: Date;
  unreadIncrement: number;
}

/** One row per chat of a session: name, linked client, last message and unread count. */
export const chatsProjector: Projector = {
  name: 'chats',
  tables: ['Chats'],

  async apply(db, event) {
    switch (event.type) {
      case 'MessageReceived': {
        const { chatJid, chatName, senderName, isGroup, fromMe, type, body, media, timestamp } = event.data;
        const name = chatName ?? (isGroup || fromMe ? null : senderName);
        const preview = messagePreview(type, body, media);
        await recordActivity(db, event, {
          chatJid,
          chatName: name,
          preview,
          time: fromUnixSeconds(timestamp),
          unreadIncrement: fromMe ? 0 : 1,
        });
        return;
      }
      case 'MessageSendRequested': {
        const { chatJid, body, media } = event.data;
        const preview = messagePreview(media ? media.mimetype.split('/')[0]! : 'chat', body, media);
        await recordActivity(db, event, {
          chatJid,
          chatName: null,
          preview,
          time: new Date(event.metadata.recordedAt),
          unreadIncrement: 0,
        });
        return;
      }
      case 'ChatRead':
        await db
          .updateTable('Chats')
          .set({ Unread_Count: 0, Last_Revision: event.revision.toString() })
          .where('Session_Id', '=', event.metadata.sessionId)
          .where('Chat_Id', '=', chatJidOf(event))
          .where('Last_Revision', '<', event.revision.toString())
          .execute();
        return;
      default:
        return;
    }
  },
};

async function recordActivity(
  db: ReadModelWriter,
  event: ProjectedEvent,
  activity: ChatActivity,
): Promise<void> {
  const { sessionId, companyId } = event.metadata;
  const number = individualNumber(activity.chatJid);
  await db
    .insertInto('Chats')
    .values({
      Id: event.id,
      Session_Id: sessionId,
      Company_Id: companyId,
      Chat_Id: activity.chatJid,
      Chat_Type: activity.chatJid.endsWith('@g.us') ? 'group' : 'individual',
      Chat_Name: activity.chatName,
      Client_Id: number ? clientIdFor(companyId, number) : null,
      Last_Message: activity.preview,
      Last_Message_Time: activity.time,
      Unread_Count: activity.unreadIncrement,
      Created_At: event.metadata.recordedAt,
      Last_Revision: event.revision.toString(),
    })
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
        .where('Chats.Last_Revision', '<', event.revision.toString()),
    )
    .execute();
}

/** The chat's WhatsApp id, from its stream name `chat-<sessionId>_<jid>`. */
function chatJidOf(event: ProjectedEvent): string {
  return event.streamName.slice(`chat-${event.metadata.sessionId}_`.length);
}
