import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toJid } from '../../domain/jid.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError, NotFoundError } from '../http-errors.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { userContext } from '../user-context.js';

const sendBody = z
  .object({
    sessionId: z.uuid({ message: 'must be a session id (UUID)' }),
    to: z.string().min(1).max(100),
    message: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65,536 characters'),
  })
  .strict();

const sendHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

const sendReply = z.object({
  message: z.string(),
  result: z.object({ id: z.string(), to: z.string(), status: z.literal('pending').optional() }),
});

/** `POST /whatsapp/messages/send`: through the outbox, answered once WhatsApp accepted the message. */
export const sendRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.post(
      '/whatsapp/messages/send',
      {
        config: { access: 'send' },
        schema: {
          tags: ['whatsapp'],
          summary:
            'Send a text message (Idempotency-Key makes retries safe); 202 with status pending if WhatsApp has not answered within SEND_TIMEOUT_MS',
          body: sendBody,
          headers: sendHeaders,
          response: {
            200: sendReply,
            202: sendReply,
            ...sessionErrors,
            409: errorReply,
            422: errorReply,
            502: errorReply,
          },
        },
      },
      async (request, reply) => {
        const { sessionId, message } = request.body;
        const to = toJid(request.body.to);
        const session = await deps.db
          .selectFrom('Sessions')
          .select(['Status', 'Wa_Id'])
          .where('Id', '=', sessionId)
          .where('Company_Id', '=', request.claims.companyId)
          .where('Deleted_At', 'is', null)
          .executeTakeFirst();
        if (!session) throw new NotFoundError();
        const outcome = await deps.sendMessage(
          {
            to,
            body: message,
            idempotencyKey: request.headers['idempotency-key'] ?? null,
            sessionConnected: session.Status === 3,
            from: session.Wa_Id,
          },
          userContext(request, sessionId),
        );
        switch (outcome.kind) {
          case 'sent':
            return reply.status(200).send({
              message: 'Mensagem enviada com sucesso',
              result: { id: outcome.waMessageId, to: outcome.chatJid },
            });
          case 'pending':
            return reply.status(202).send({
              message: 'Mensagem aceita; o envio está pendente',
              result: { id: outcome.messageId, to: outcome.chatJid, status: 'pending' },
            });
          case 'failed':
            throw new HttpError(502, `Falha ao enviar a mensagem: ${outcome.reason}`);
        }
      },
    );
    return Promise.resolve();
  };
