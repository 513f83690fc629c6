import { sql } from 'kysely';
import { MessageAck } from '../domain/chat/message-ack.js';
import type { ProjectedEvent } from './projected-event.js';
import type { Projector, ReadModelWriter } from './projector.js';

type Of<T extends ProjectedEvent['type']> = Extract<ProjectedEvent, { type: T }>;

/** One row per message, incoming and outgoing, with its delivery status. */
export const messagesProjector: Projector = {
  name: 'messages',
  tables: ['Messages'],

  async apply(db, event) {
    switch (event.type) {
      case 'MessageReceived':
        return received(db, event);
      case 'MessageSendRequested':
        return sendRequested(db, event);
      case 'MessageSent':
        return sent(db, event);
      case 'MessageSendFailed': {
        const { messageId, reason, attempt, final } = event.data;
        const failure = final ? reason : `${reason} (attempt ${attempt}, will retry)`;
        await guarded(db, event)
          .set({ Failure_Reason: failure, ...(final ? { Status: MessageAck.ERROR } : {}) })
          .where('Id', '=', messageId)
          .execute();
        return;
      }
      case 'MessageAckChanged': {
        const { waMessageId, ack } = event.data;
        await guarded(db, event)
          .set({ Status: ack })
          .where('Session_Id', '=', event.metadata.sessionId)
          .where('Wa_Message_Id', '=', waMessageId)
          .where((eb) =>
            ack === MessageAck.ERROR ? eb('Status', '=', MessageAck.PENDING) : eb('Status', '<', ack),
          )
          .execute();
        return;
      }
      case 'MessageRevoked':
        await guarded(db, event)
          .set({ Is_Revoked: true })
          .where('Session_Id', '=', event.metadata.sessionId)
          .where('Wa_Message_Id', '=', event.data.waMessageId)
          .execute();
        return;
      default:
        return;
    }
  },
};

async function received(db: ReadModelWriter, event: Of<'MessageReceived'>): Promise<void> {
  const d = event.data;
  await db
    .insertInto('Messages')
    .values({
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
      Created_Revision: event.revision.toString(),
      Last_Revision: event.revision.toString(),
    })
    // Already there: the same event applied again, or the echo of a message the gateway sent itself.
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function sendRequested(db: ReadModelWriter, event: Of<'MessageSendRequested'>): Promise<void> {
  const d = event.data;
  await db
    .insertInto('Messages')
    .values({
      Id: d.messageId,
      Session_Id: event.metadata.sessionId,
      Company_Id: event.metadata.companyId,
      Chat_Id: d.chatJid,
      Wa_Message_Id: null,
      Direction: 'OUT',
      Message_Type: d.media ? d.media.mimetype.split('/')[0]! : 'chat',
      Body: d.body,
      ...mediaColumns(d.media),
      Status: MessageAck.PENDING,
      Wa_Timestamp: Math.floor(new Date(event.metadata.recordedAt).getTime() / 1000),
      Sender: d.from ?? '',
      Sender_Name: null,
      Recipient: d.chatJid,
      From_Me: true,
      Created_Revision: event.revision.toString(),
      Last_Revision: event.revision.toString(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function sent(db: ReadModelWriter, event: Of<'MessageSent'>): Promise<void> {
  const { messageId, waMessageId, ack, timestamp } = event.data;
  // WhatsApp may echo a sent message back (as received, from me) before the send call returns: fold that row
  // into the gateway's own, keeping the furthest status either reached.
  const echo = await db
    .deleteFrom('Messages')
    .where('Session_Id', '=', event.metadata.sessionId)
    .where('Wa_Message_Id', '=', waMessageId)
    .where('Id', '!=', messageId)
    .returning('Status')
    .executeTakeFirst();
  const status = Math.max(ack, echo?.Status ?? 0);
  await guarded(db, event)
    .set({
      Wa_Message_Id: waMessageId,
      Wa_Timestamp: timestamp,
      Failure_Reason: null,
      Status: sql<number>`greatest("Status", ${status})`,
    })
    .where('Id', '=', messageId)
    .execute();
}

/** An update that applies only once: to rows this stream has not yet brought past the event's revision. */
function guarded(db: ReadModelWriter, event: ProjectedEvent) {
  return db
    .updateTable('Messages')
    .set({ Last_Revision: event.revision.toString() })
    .where('Last_Revision', '<', event.revision.toString());
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
