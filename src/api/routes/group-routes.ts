import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { groupCommands } from '../../app/group-commands.js';
import { sessionGroup, sessionGroups } from '../../projections/groups/session-groups.js';
import type { ApiDeps } from '../api-deps.js';
import { errorReply, sessionErrors, sessionIdParams } from '../schemas/common.js';
import {
  createGroupBody,
  createdGroupReply,
  groupParams,
  groupsReply,
  participantsBody,
  participantsReply,
} from '../schemas/group-schemas.js';
import { HttpError } from '../http-errors.js';
import { userContext } from '../user-context.js';

const commandErrors = { ...sessionErrors, 409: errorReply, 422: errorReply, 502: errorReply } as const;
const calls =
  'WhatsApp carries it out on the process that runs the session (409 when it is not connected, 422 when WhatsApp refused, with its reason; 502 when it did not answer); the reply means the groups list shows it on every process';

/** A session's groups (ADMIN and MANAGER): the list from the Groups read model, and the group commands. */
export const groupRoutes =
  (deps: Pick<ApiDeps, 'db' | 'handle' | 'driverCalls'>): FastifyPluginAsyncZod =>
  (app) => {
    const tags = ['groups'];
    const config = { access: 'manage', sessionParam: 'id' } as const;
    const commands = groupCommands(deps);
    const current = async (sessionId: string, groupJid: string) => {
      const group = await sessionGroup(deps.db, sessionId, groupJid);
      // Recorded before the reply, in the same transaction as the read model: absent only if the session left.
      if (!group) throw new HttpError(404, 'Grupo não encontrado');
      return group;
    };

    app.get(
      '/whatsapp/sessions/:id/groups',
      {
        config,
        schema: {
          tags,
          summary: 'The groups the session is in, with subject, description and participants (admin flags)',
          params: sessionIdParams,
          response: { 200: groupsReply, ...sessionErrors },
        },
      },
      async (request) => ({ groups: await sessionGroups(deps.db, request.params.id) }),
    );

    app.post(
      '/whatsapp/sessions/:id/groups',
      {
        config,
        schema: {
          tags,
          summary: `Create a group with the session as admin (WPPConnect createGroup); ${calls}`,
          params: sessionIdParams,
          body: createGroupBody,
          response: { 201: createdGroupReply, ...commandErrors },
        },
      },
      async (request, reply) => {
        const sessionId = request.params.id;
        const { subject, participants } = request.body;
        const created = await commands.create(userContext(request, sessionId), subject, participants);
        const group = await current(sessionId, created.groupJid);
        return reply.status(201).send({ ...group, refused: created.refused });
      },
    );

    app.post(
      '/whatsapp/sessions/:id/groups/:groupId/participants',
      {
        config,
        schema: {
          tags,
          summary: `Add, remove, promote and demote participants, in that order (WPPConnect addParticipant, removeParticipant, promoteParticipant, demoteParticipant); ${calls}`,
          params: groupParams,
          body: participantsBody,
          response: { 200: participantsReply, ...commandErrors },
        },
      },
      async (request) => {
        const { id: sessionId, groupId } = request.params;
        const { refused } = await commands.changeParticipants(
          userContext(request, sessionId),
          groupId,
          request.body,
        );
        return { ...(await current(sessionId, groupId)), refused };
      },
    );

    app.post(
      '/whatsapp/sessions/:id/groups/:groupId/leave',
      {
        config,
        schema: {
          tags,
          summary: `Leave a group (WPPConnect leaveGroup); ${calls}`,
          params: groupParams,
          response: { 204: z.null(), ...commandErrors },
        },
      },
      async (request, reply) => {
        const { id: sessionId, groupId } = request.params;
        await commands.leave(userContext(request, sessionId), groupId);
        return reply.status(204).send(null);
      },
    );
    return Promise.resolve();
  };
