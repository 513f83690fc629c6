import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toJid } from '../../domain/jid.js';
import type { ApiDeps } from '../api-deps.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { outcomeReply, sendingSession, sendReply } from '../send-reply.js';
import { userContext } from '../user-context.js';

const sendBody = z
  .object({
    sessionId: z.uuid({ message: 'must be a session id (UUID)' }),
    to: z.string().min(1).max(100),
    message: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65,536 characters'),
  })
  .strict();

const sendHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

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
        const session = await sendingSession(deps.db, request.claims.companyId, sessionId);
        deps.numberCheck.refuseKnownMissing(sessionId, to);
        const outcome = await deps.sendMessage(
          {
            to,
            body: message,
            idempotencyKey: request.headers['idempotency-key'] ?? null,
            sessionConnected: session.connected,
            from: session.waId,
          },
          userContext(request, sessionId),
        );
        const { status, body } = outcomeReply(outcome);
        return reply.status(status).send(body);
      },
    );
    return Promise.resolve();
  };
