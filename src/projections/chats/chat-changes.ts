import type { Insertable } from 'kysely';
import type { ChatsTable } from '../../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from '../projected-event.js';
import { clientIdFor, fromUnixSeconds, individualNumber, messagePreview } from '../read-model-keys.js';

interface ChatActivity {
  chatJid: string;
  chatName: string | null;
  preview: string;
  time: Date;
  unreadIncrement: number;
}

/** What an event does to its chat's row: new activity (a message), or the chat was read. */
export type ChatChange =
  | { key: string; kind: 'activity'; row: Insertable<ChatsTable> }
  | { key: string; kind: 'read'; sessionId: string; chatJid: string; revision: string };

export function chatChange(event: ProjectedEvent): ChatChange[] {
  switch (event.type) {
    case 'MessageReceived': {
      const { chatJid, chatName, senderName, isGroup, fromMe, type, body, media, timestamp } = event.data;
      const name = chatName ?? (isGroup || fromMe ? null : senderName);
      return [
        activity(event, {
          chatJid,
          chatName: name,
          preview: messagePreview(type, body, media),
          time: fromUnixSeconds(timestamp),
          unreadIncrement: fromMe ? 0 : 1,
        }),
      ];
    }
    case 'MessageSendRequested': {
      const { chatJid, body, media, action } = event.data;
      // A reaction, edit or deletion changes a message already there: no new activity in the chat.
      if (action) return [];
      return [
        activity(event, {
          chatJid,
          chatName: null,
          preview: messagePreview(media ? media.mimetype.split('/')[0]! : 'chat', body, media),
          time: new Date(event.metadata.recordedAt),
          unreadIncrement: 0,
        }),
      ];
    }
    case 'ChatRead': {
      const { sessionId } = event.metadata;
      const chatJid = chatJidOf(event);
      return [
        {
          key: `${sessionId}|${chatJid}`,
          kind: 'read',
          sessionId,
          chatJid,
          revision: event.revision.toString(),
        },
      ];
    }
    default:
      return [];
  }
}

function activity(event: ProjectedEvent, activity: ChatActivity): ChatChange {
  const { sessionId, companyId } = event.metadata;
  const number = individualNumber(activity.chatJid);
  return {
    key: `${sessionId}|${activity.chatJid}`,
    kind: 'activity',
    row: {
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
    },
  };
}

/** The chat's WhatsApp id, from its stream name `chat-<sessionId>_<jid>`. */
function chatJidOf(event: ProjectedEvent): string {
  return event.streamName.slice(`chat-${event.metadata.sessionId}_`.length);
}
