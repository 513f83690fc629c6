import type { Insertable } from 'kysely';
import type { MessagesTable } from '../../adapters/db/read-model-schema.js';
import { MessageAck } from '../../domain/chat/message-ack.js';
import type { ProjectedEvent } from '../projected-event.js';

type Of<T extends ProjectedEvent['type']> = Extract<ProjectedEvent, { type: T }>;

/** The Messages row a received message starts as. */
export function receivedRow(event: Of<'MessageReceived'>): Insertable<MessagesTable> {
  const d = event.data;
  return {
    Id: event.id,
    Session_Id: event.metadata.sessionId,
    Company_Id: event.metadata.companyId,
    Chat_Id: d.chatJid,
    Wa_Message_Id: d.waMessageId,
    Direction: d.fromMe ? 'OUT' : 'IN',
    Message_Type: d.type,
    Body: d.body,
    ...mediaColumns(d.media),
    Status: d.fromMe ? MessageAck.SERVER : MessageAck.DEVICE,
    Wa_Timestamp: d.timestamp,
    Sender: d.from,
    Sender_Name: d.senderName,
    Recipient: d.to,
    From_Me: d.fromMe,
    Is_Revoked: false,
    Failure_Reason: null,
    ...detailColumns(d),
    Created_Revision: event.revision.toString(),
    Last_Revision: event.revision.toString(),
  };
}

/** What a received message carries beside its text (fields of newer events; older ones have none). */
function detailColumns(d: Of<'MessageReceived'>['data']) {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return {
    Quoted_Id: d.quotedMsgId ?? null,
    Mentions: d.mentionedJidList?.length ? json(d.mentionedJidList) : null,
    Location: d.location
      ? json({ latitude: d.location.lat, longitude: d.location.lng, name: d.location.description })
      : null,
    Contacts: d.vcardList?.length ? json(d.vcardList) : null,
    Poll: d.poll ? json(d.poll) : null,
  };
}

/** The Messages row a send request starts as (pending, until WhatsApp takes it). */
export function sendRequestedRow(event: Of<'MessageSendRequested'>): Insertable<MessagesTable> {
  const d = event.data;
  return {
    Id: d.messageId,
    Session_Id: event.metadata.sessionId,
    Company_Id: event.metadata.companyId,
    Chat_Id: d.chatJid,
    Wa_Message_Id: null,
    Direction: 'OUT',
    Message_Type: d.media
      ? d.media.mimetype.split('/')[0]!
      : d.poll
        ? 'poll_creation'
        : d.location
          ? 'location'
          : 'chat',
    Body: d.poll ? d.poll.name : d.body,
    ...mediaColumns(d.media),
    Status: MessageAck.PENDING,
    Wa_Timestamp: Math.floor(new Date(event.metadata.recordedAt).getTime() / 1000),
    Sender: d.from ?? '',
    Sender_Name: null,
    Recipient: d.chatJid,
    From_Me: true,
    Is_Revoked: false,
    Failure_Reason: null,
    Quoted_Id: d.quotedMessageId ?? null,
    Mentions: d.mentions?.length ? JSON.stringify(d.mentions) : null,
    Location: d.location
      ? JSON.stringify({
          latitude: d.location.latitude,
          longitude: d.location.longitude,
          name: d.location.name,
        })
      : null,
    Contacts: null,
    Poll: d.poll ? JSON.stringify(d.poll) : null,
    Created_Revision: event.revision.toString(),
    Last_Revision: event.revision.toString(),
  };
}

function mediaColumns(media: Of<'MessageReceived'>['data']['media']) {
  return {
    Media_Mimetype: media?.mimetype ?? null,
    Media_Caption: media?.caption ?? null,
    Media_File_Name: media?.fileName ?? null,
    Media_Size: media?.size ?? null,
    Media_Location: media?.location ?? null,
  };
}
