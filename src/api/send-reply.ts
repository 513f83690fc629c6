import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { SendOutcome } from '../app/send-outcomes.js';
import { HttpError, NotFoundError } from './http-errors.js';
import { liveStatus, sessionRows } from '../projections/sessions/session-rows.js';

export const sendReply = z.object({
  message: z.string(),
  result: z.object({ id: z.string(), to: z.string(), status: z.literal('pending').optional() }),
});

/** The session a send names, if it is the caller's company's: its connection status and own WhatsApp id. */
export async function sendingSession(db: Kysely<ReadModelSchema>, companyId: string, sessionId: string) {
  const session = await sessionRows(db)
    .where('Id', '=', sessionId)
    .where('Company_Id', '=', companyId)
    .where('Deleted_At', 'is', null)
    .executeTakeFirst();
  if (!session) throw new NotFoundError();
  return { connected: liveStatus(session) === 3, waId: session.Wa_Id };
}

/** How a send's outcome is answered: 200 sent, 202 pending, 502 failed for good. */
export function outcomeReply(outcome: SendOutcome & { messageId: string; chatJid: string }): {
  status: 200 | 202;
  body: z.infer<typeof sendReply>;
} {
  switch (outcome.kind) {
    case 'sent':
      return {
        status: 200,
        body: {
          message: 'Mensagem enviada com sucesso',
          result: { id: outcome.waMessageId, to: outcome.chatJid },
        },
      };
    case 'pending':
      return {
        status: 202,
        body: {
          message: 'Mensagem aceita; o envio está pendente',
          result: { id: outcome.messageId, to: outcome.chatJid, status: 'pending' },
        },
      };
    case 'failed':
      throw new HttpError(502, `Falha ao enviar a mensagem: ${outcome.reason}`);
  }
}
