import { sql, type Kysely, type Selectable } from 'kysely';
import type { MessagesTable, ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { HttpError } from '../http-errors.js';
import type { MessageShape } from '../schemas/whatsapp-schemas.js';

/** A Messages row in the API's message shape: identified by its WhatsApp id once WhatsApp gave it one. */
export function toMessageShape(row: Selectable<MessagesTable>): MessageShape {
  return {
    id: row.Wa_Message_Id ?? row.Id,
    chatId: row.Chat_Id,
    direction: row.Direction,
    type: row.Message_Type,
    body: row.Body,
    status: row.Status,
    timestamp: Number(row.Wa_Timestamp),
    from: row.Sender,
    to: row.Recipient,
    fromMe: row.From_Me,
    ...(row.Media_Mimetype
      ? {
          media: {
            mimetype: row.Media_Mimetype,
            caption: row.Media_Caption,
            fileName: row.Media_File_Name,
            size: row.Media_Size === null ? null : Number(row.Media_Size),
            url: row.Media_Location,
          },
        }
      : {}),
  };
}

/**
 * The most recent `limit` messages of a chat (before the message `before`, when given), oldest first.
 * Keyset paging on (WhatsApp timestamp, order of arrival), which the chat-time index serves.
 */
export async function chatMessages(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  chatId: string,
  limit: number,
  before: string | undefined,
): Promise<MessageShape[]> {
  let query = db
    .selectFrom('Messages')
    .selectAll()
    .where('Session_Id', '=', sessionId)
    .where('Chat_Id', '=', chatId)
    .orderBy('Wa_Timestamp', 'desc')
    .orderBy('Created_Revision', 'desc')
    .limit(limit);
  if (before !== undefined) {
    const anchor = await db
      .selectFrom('Messages')
      .select(['Wa_Timestamp', 'Created_Revision'])
      .where('Session_Id', '=', sessionId)
      .where('Chat_Id', '=', chatId)
      .where((eb) => eb.or([eb('Wa_Message_Id', '=', before), eb(sql<string>`"Id"::text`, '=', before)]))
      .executeTakeFirst();
    if (!anchor) throw new HttpError(400, `before: não há mensagem ${before} nesta conversa`);
    query = query.where((eb) =>
      eb(
        eb.refTuple('Wa_Timestamp', 'Created_Revision'),
        '<',
        eb.tuple(anchor.Wa_Timestamp, anchor.Created_Revision),
      ),
    );
  }
  const rows = await query.execute();
  return rows.reverse().map(toMessageShape);
}
