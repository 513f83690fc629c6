import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { MessageAck } from '../../domain/chat/message-ack.js';

export interface PendingSend {
  sessionId: string;
  companyId: string;
  chatJid: string;
  messageId: string;
  /** The revision of its MessageSendRequested in the chat's stream. */
  requestRevision: bigint;
}

/**
 * Outgoing messages (and changes to messages) requested but neither sent nor failed for good, of every session
 * or of one: the outbox takes them up again on start, and when a session connects in a process.
 */
export async function pendingSends(db: Kysely<ReadModelSchema>, sessionId?: string): Promise<PendingSend[]> {
  const rows = await db
    .selectFrom('Messages')
    .select(['Id', 'Session_Id', 'Company_Id', 'Chat_Id', 'Created_Revision'])
    .where('Direction', '=', 'OUT')
    .where('Wa_Message_Id', 'is', null)
    .where('Status', '=', MessageAck.PENDING)
    .$if(sessionId !== undefined, (query) => query.where('Session_Id', '=', sessionId!))
    .orderBy('Created_Revision')
    .execute();
  const actions = await db
    .selectFrom('Message_Actions')
    .select(['Id', 'Session_Id', 'Company_Id', 'Chat_Id', 'Created_Revision'])
    .where('Status', '=', MessageAck.PENDING)
    .$if(sessionId !== undefined, (query) => query.where('Session_Id', '=', sessionId!))
    .execute();
  return [...rows, ...actions]
    .map((row) => ({
      sessionId: row.Session_Id,
      companyId: row.Company_Id,
      chatJid: row.Chat_Id,
      messageId: row.Id,
      requestRevision: BigInt(row.Created_Revision),
    }))
    .sort((a, b) => (a.requestRevision < b.requestRevision ? -1 : 1));
}

/**
 * How many sends are pending (as `pendingSends` lists them), for the metrics. The conditions are literals, not
 * parameters, so that the planner always matches them to the partial index `messages_pending_sends`.
 */
export async function countPendingSends(db: Kysely<ReadModelSchema>): Promise<number> {
  const { rows } = await sql<{ count: string }>`select count(*) as count from "Messages"
    where "Direction" = 'OUT' and "Wa_Message_Id" is null and "Status" = ${sql.lit(MessageAck.PENDING)}`.execute(
    db,
  );
  return Number(rows[0]?.count ?? 0);
}
