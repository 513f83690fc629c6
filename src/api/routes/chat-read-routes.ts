import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chatStream, chatStreamName } from '../../domain/chat/chat-stream.js';
import { toJid } from '../../domain/jid.js';
import type { ApiDeps } from '../api-deps.js';
import { NotFoundError } from '../http-errors.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { chatParams } from '../schemas/whatsapp-schemas.js';
import { userContext } from '../user-context.js';

/**
 * `POST /whatsapp/sessions/:id/chats/:chatId/read`: the contact gets blue ticks (sent by the process that runs
 * the session), then the chat's ChatRead is recorded, so its unread count reads 0 everywhere once this answers.
 */
export const chatReadRoutes =
  (deps: Pick<ApiDeps, 'db' | 'handle' | 'driverCalls'>): FastifyPluginAsyncZod =>
  (app) => {
    app.post(
      '/whatsapp/sessions/:id/chats/:chatId/read',
      {
        config: { access: 'send', sessionParam: 'id' },
        schema: {
          tags: ['whatsapp'],
          summary:
            'Mark a chat read on WhatsApp (blue ticks) and set its unread count to 0; 404 for an unknown chat, 409 when the session is not connected',
          params: chatParams,
          response: { 204: z.null(), ...sessionErrors, 409: errorReply },
        },
      },
      async (request, reply) => {
        const sessionId = request.params.id;
        const chatJid = toJid(request.params.chatId);
        const chat = await deps.db
          .selectFrom('Chats')
          .select('Id')
          .where('Session_Id', '=', sessionId)
          .where('Chat_Id', '=', chatJid)
          .executeTakeFirst();
        if (!chat) throw new NotFoundError('Conversa não encontrada');
        await deps.driverCalls.markSeen(sessionId, chatJid);
        await deps.handle(
          chatStream,
          chatStreamName(sessionId, chatJid),
          { type: 'MarkChatRead', sessionId, chatJid },
          userContext(request, sessionId),
        );
        return reply.status(204).send(null);
      },
    );
    return Promise.resolve();
  };
