import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';

/** A message a reaction, an edit or a deletion names, as the read model knows it. */
export interface MessageTarget {
  chatJid: string;
  /** Null while the gateway's own message is not yet sent. */
  waMessageId: string | null;
  fromMe: boolean;
  revoked: boolean;
}

/**
 * The message of the session that the messages endpoint shows with `id` (its WhatsApp id, or the gateway's id
 * while it is pending); undefined when the session has none.
 */
export async function findMessageTarget(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  id: string,
): Promise<MessageTarget | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const row = await db
    .selectFrom('Messages')
    .select(['Chat_Id', 'Wa_Message_Id', 'From_Me', 'Is_Revoked'])
    .where('Session_Id', '=', sessionId)
    .where((eb) =>
      isUuid ? eb.or([eb('Wa_Message_Id', '=', id), eb('Id', '=', id)]) : eb('Wa_Message_Id', '=', id),
    )
    .executeTakeFirst();
  return row
    ? { chatJid: row.Chat_Id, waMessageId: row.Wa_Message_Id, fromMe: row.From_Me, revoked: row.Is_Revoked }
    : undefined;
}
