import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';

export interface PendingDownload {
  companyId: string;
  sessionId: string;
  chatJid: string;
  waMessageId: string;
  mimetype: string;
  declaredSize: number | null;
  /** The MessageReceived event that brought the file. */
  causationId: string;
}

/**
 * A session's messages whose file WhatsApp announced but nobody kept or gave up on yet: the process that ran the
 * session died or lost it before the download ended. Files sent through the gateway are kept at send time (they
 * carry their location) and are not among them.
 */
export async function pendingDownloads(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  limit = 1000,
): Promise<PendingDownload[]> {
  const rows = await db
    .selectFrom('Messages')
    .select(['Id', 'Company_Id', 'Chat_Id', 'Wa_Message_Id', 'Media_Mimetype', 'Media_Size'])
    .where('Session_Id', '=', sessionId)
    .where('Media_Mimetype', 'is not', null)
    .where('Media_Sha256', 'is', null)
    .where('Media_Download_Error', 'is', null)
    .where('Media_Location', 'is', null)
    .where('Wa_Message_Id', 'is not', null)
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    companyId: row.Company_Id,
    sessionId,
    chatJid: row.Chat_Id,
    waMessageId: row.Wa_Message_Id!,
    mimetype: row.Media_Mimetype!,
    declaredSize: row.Media_Size === null ? null : Number(row.Media_Size),
    causationId: row.Id,
  }));
}
