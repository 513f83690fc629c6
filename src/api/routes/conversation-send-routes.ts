import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMessageActions } from '../../app/message-actions.js';
import { pollLimits } from '../../domain/chat/outgoing-poll.js';
import { toJid } from '../../domain/jid.js';
import { findMessageTarget } from '../../projections/messages/message-target.js';
import type { ApiDeps } from '../api-deps.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { outcomeReply, sendingSession, sendReply } from '../send-reply.js';
import { userContext } from '../user-context.js';
import { sendHeaders } from './send-routes.js';

const sessionId = z.uuid({ message: 'must be a session id (UUID)' });
const to = z.string().min(1).max(100);
const messageId = z.string().min(1).max(200).describe('The message `id` of the messages endpoint');

const pollBody = z
  .object({
    sessionId,
    to,
    name: z.string().min(1, 'must not be empty').max(255),
    options: z
      .array(z.string().trim().min(1, 'must not be empty').max(100))
      .min(pollLimits.minOptions, `a poll needs at least ${pollLimits.minOptions} options`)
      .max(pollLimits.maxOptions, `a poll has at most ${pollLimits.maxOptions} options`)
      .refine((options) => new Set(options).size === options.length, 'the options must all be different'),
    selectableCount: z.number().int().min(1).default(1),
  })
  .strict()
  .refine((poll) => poll.selectableCount <= poll.options.length, {
    message: 'must be at most the number of options',
    path: ['selectableCount'],
  });

const locationBody = z
  .object({
    sessionId,
    to,
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().min(1).max(1024).optional(),
  })
  .strict();

const reactBody = z
  .object({
    sessionId,
    messageId,
    emoji: z.string().max(32).describe('The emoji; an empty string takes the session’s reaction back'),
  })
  .strict();
const editBody = z
  .object({
    sessionId,
    messageId,
    message: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65,536 characters'),
  })
  .strict();
const deleteBody = z.object({ sessionId, messageId }).strict();

const replies = {
  200: sendReply,
  202: sendReply,
  ...sessionErrors,
  409: errorReply,
  422: errorReply,
  502: errorReply,
};

/**
 * Polls, locations, reactions, edits and deletions for everyone: each through the same outbox as texts
 * (idempotency, retries, pacing, crash safety), answered as `POST /whatsapp/messages/send` is. A reaction, an
 * edit or a deletion answers with the id of the message it changed.
 */
export const conversationSendRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    const actions = createMessageActions({
      sendMessage: deps.sendMessage,
      findTarget: (session, id) => findMessageTarget(deps.db, session, id),
    });
    const route = <B extends z.ZodType<{ sessionId: string }>>(path: string, summary: string, body: B) =>
      ({
        path: `/whatsapp/messages/${path}`,
        options: {
          config: { access: 'send' as const },
          schema: { tags: ['whatsapp'], summary, body, headers: sendHeaders, response: replies },
        },
      }) as const;

    const poll = route('send-poll', 'Send a poll (2–12 distinct options, 1 to all selectable)', pollBody);
    app.post(poll.path, poll.options, async (request, reply) => {
      const { sessionId: id, name, options, selectableCount } = request.body;
      const session = await sendingSession(deps.db, request.claims.companyId, id);
      const outcome = await deps.sendMessage(
        {
          to: toJid(request.body.to),
          body: name,
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          sessionConnected: session.connected,
          from: session.waId,
          content: { poll: { name, options, selectableCount } },
        },
        userContext(request, id),
      );
      const { status, body } = outcomeReply(outcome);
      return reply.status(status).send(body);
    });

    const location = route(
      'send-location',
      'Send a location (degrees), with an optional place name',
      locationBody,
    );
    app.post(location.path, location.options, async (request, reply) => {
      const { sessionId: id, latitude, longitude, name } = request.body;
      const session = await sendingSession(deps.db, request.claims.companyId, id);
      const outcome = await deps.sendMessage(
        {
          to: toJid(request.body.to),
          body: name ?? '',
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          sessionConnected: session.connected,
          from: session.waId,
          content: { location: { latitude, longitude, name: name ?? null } },
        },
        userContext(request, id),
      );
      const { status, body } = outcomeReply(outcome);
      return reply.status(status).send(body);
    });

    const react = route(
      'react',
      'React to a message (an empty emoji takes the reaction back); 404 for an unknown message',
      reactBody,
    );
    app.post(react.path, react.options, async (request, reply) => {
      const { sessionId: id, messageId: target, emoji } = request.body;
      const session = await sendingSession(deps.db, request.claims.companyId, id);
      const outcome = await actions.react(
        { ...actionRequest(request.headers, session, target), emoji },
        userContext(request, id),
      );
      const { status, body } = outcomeReply(outcome);
      return reply.status(status).send(body);
    });

    const edit = route('edit', 'Edit the text of a message the session sent (else 409)', editBody);
    app.post(edit.path, edit.options, async (request, reply) => {
      const { sessionId: id, messageId: target, message } = request.body;
      const session = await sendingSession(deps.db, request.claims.companyId, id);
      const outcome = await actions.edit(
        { ...actionRequest(request.headers, session, target), text: message },
        userContext(request, id),
      );
      const { status, body } = outcomeReply(outcome);
      return reply.status(status).send(body);
    });

    const remove = route('delete', 'Delete a message the session sent, for everyone (else 409)', deleteBody);
    app.post(remove.path, remove.options, async (request, reply) => {
      const { sessionId: id, messageId: target } = request.body;
      const session = await sendingSession(deps.db, request.claims.companyId, id);
      const outcome = await actions.revoke(
        actionRequest(request.headers, session, target),
        userContext(request, id),
      );
      const { status, body } = outcomeReply(outcome);
      return reply.status(status).send(body);
    });
    return Promise.resolve();
  };

function actionRequest(
  headers: { 'idempotency-key'?: string | undefined },
  session: { connected: boolean; waId: string | null },
  messageId: string,
) {
  return {
    messageId,
    idempotencyKey: headers['idempotency-key'] ?? null,
    sessionConnected: session.connected,
    from: session.waId,
  };
}
