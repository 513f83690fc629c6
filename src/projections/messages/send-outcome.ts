import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import type { SendOutcome } from '../../app/send-outcomes.js';
import { MessageAck } from '../../domain/chat/message-ack.js';

/** What became of a message the gateway was asked to send, from its Messages row; undefined while pending. */
export async function storedSendOutcome(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  messageId: string,
): Promise<SendOutcome | undefined> {
  const row = await db
    .selectFrom('Messages')
    .select(['Wa_Message_Id', 'Status', 'Failure_Reason'])
    .where('Id', '=', messageId)
    .where('Session_Id', '=', sessionId)
    .executeTakeFirst();
  if (row?.Wa_Message_Id) return { kind: 'sent', waMessageId: row.Wa_Message_Id };
  if (row?.Status === MessageAck.ERROR) return { kind: 'failed', reason: row.Failure_Reason ?? 'failed' };
  if (row) return undefined;
  // A reaction, edit or deletion: answered with the id of the message it changed.
  const action = await db
    .selectFrom('Message_Actions')
    .select(['Target_Wa_Id', 'Status', 'Failure_Reason'])
    .where('Id', '=', messageId)
    .where('Session_Id', '=', sessionId)
    .executeTakeFirst();
  if (action?.Status === MessageAck.SERVER) return { kind: 'sent', waMessageId: action.Target_Wa_Id };
  if (action?.Status === MessageAck.ERROR)
    return { kind: 'failed', reason: action.Failure_Reason ?? 'failed' };
  return undefined;
}
