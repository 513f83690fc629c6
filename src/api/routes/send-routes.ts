import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toJid } from '../../domain/jid.js';
import { findMessageTarget } from '../../projections/messages/message-target.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError } from '../http-errors.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { outcomeReply, sendingSession, sendReply } from '../send-reply.js';
import { userContext } from '../user-context.js';

const sendBody = z
  .object({
    sessionId: z.uuid({ message: 'must be a session id (UUID)' }),
    to: z.string().min(1).max(100),
    message: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65,536 characters'),
    quotedMessageId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('The `id` (messages endpoint) of a message of the same chat this one replies to'),
    mentions: z
      .array(z.string().min(1).max(100))
      .max(256)
      .optional()
      .describe('Numbers or JIDs mentioned with @ in the text'),
  })
  .strict();

export const sendHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

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
            'Send a text message, maybe a reply (quotedMessageId) with mentions (Idempotency-Key makes retries safe); 202 with status pending if WhatsApp has not answered within SEND_TIMEOUT_MS',
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
        const { sessionId, message, quotedMessageId, mentions } = request.body;
        const to = toJid(request.body.to);
        const session = await sendingSession(deps.db, request.claims.companyId, sessionId);
        deps.numberCheck.refuseKnownMissing(sessionId, to);
        const quoted = quotedMessageId
          ? await findMessageTarget(deps.db, sessionId, quotedMessageId)
          : undefined;
        if (quotedMessageId && (!quoted?.waMessageId || quoted.chatJid !== to))
          throw new HttpError(
            400,
            `quotedMessageId: não há mensagem enviada ${quotedMessageId} na conversa ${to} desta sessão`,
          );
        const mentioned = mentions?.map((mention) => toJid(mention));
        const outcome = await deps.sendMessage(
          {
            to,
            body: message,
            idempotencyKey: request.headers['idempotency-key'] ?? null,
            sessionConnected: session.connected,
            from: session.waId,
            ...(quoted || mentioned?.length
              ? {
                  content: {
                    ...(quoted ? { quotedMessageId: quoted.waMessageId } : {}),
                    ...(mentioned?.length ? { mentions: mentioned } : {}),
                  },
                }
              : {}),
          },
          userContext(request, sessionId),
        );
        const { status, body } = outcomeReply(outcome);
        return reply.status(status).send(body);
      },
    );
    return Promise.resolve();
  };
