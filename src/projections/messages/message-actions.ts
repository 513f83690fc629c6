import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';
import { MessageAck } from '../../domain/chat/message-ack.js';

type Of<T extends ProjectedEvent['type']> = Extract<ProjectedEvent, { type: T }>;

/** A reaction, edit or deletion asked through the outbox: a row of Message_Actions, not a new message. */
export async function recordActionRequest(db: ReadModelWriter, event: Of<'MessageSendRequested'>) {
  const { action, messageId, chatJid, body } = event.data;
  if (!action) return;
  await db
    .insertInto('Message_Actions')
    .values({
      Id: messageId,
      Session_Id: event.metadata.sessionId,
      Company_Id: event.metadata.companyId,
      Chat_Id: chatJid,
      Action: action.kind,
      Target_Wa_Id: action.waMessageId,
      Body: action.kind === 'react' ? action.emoji : body,
      Status: MessageAck.PENDING,
      Failure_Reason: null,
      Created_Revision: event.revision.toString(),
      Last_Revision: event.revision.toString(),
    })
    .onConflict((oc) => oc.column('Id').doNothing())
    .execute();
}

/** WhatsApp took the change. */
export async function recordActionSent(db: ReadModelWriter, event: Of<'MessageSent'>) {
  await guarded(db, event, event.data.messageId)
    .set({ Status: MessageAck.SERVER, Failure_Reason: null })
    .execute();
}

/** An attempt at a change failed (for good when `final`); a no-op for the id of a new message. */
export async function recordActionFailure(db: ReadModelWriter, event: Of<'MessageSendFailed'>) {
  const { messageId, reason, attempt, final } = event.data;
  await guarded(db, event, messageId)
    .set({
      Failure_Reason: final ? reason : `${reason} (attempt ${attempt}, will retry)`,
      ...(final ? { Status: MessageAck.ERROR } : {}),
    })
    .execute();
}

const guarded = (db: ReadModelWriter, event: ProjectedEvent, id: string) =>
  db
    .updateTable('Message_Actions')
    .set({ Last_Revision: event.revision.toString() })
    .where('Id', '=', id)
    .where('Last_Revision', '<', event.revision.toString());
