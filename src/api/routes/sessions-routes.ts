import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionStream, sessionStreamName } from '../../domain/session/session-stream.js';
import type { ApiDeps } from '../api-deps.js';
import { ForbiddenError } from '../http-errors.js';
import {
  companySessions,
  sessionAtRevision,
  toSessionReply,
} from '../../projections/sessions/session-rows.js';
import { errorReply, sessionErrors, sessionIdParams, authErrors } from '../schemas/common.js';
import { createSessionBody, sessionReply, updateSessionBody } from '../schemas/session-schemas.js';
import { hashSessionToken } from '../session-token.js';
import { userContext } from '../user-context.js';

/** The sessions registry: `/sessions` create, list, get, update, delete. */
export const sessionsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    const { db, handle, supervisor } = deps;
    const tags = ['sessions'];

    app.post(
      '/sessions',
      {
        config: { access: 'manage' },
        schema: {
          tags,
          summary: 'Register a session of the caller’s company',
          body: createSessionBody,
          response: { 201: sessionReply, ...authErrors },
        },
      },
      async (request, reply) => {
        const { body, claims } = request;
        if (body.Company_Id !== undefined && body.Company_Id !== claims.companyId) {
          throw new ForbiddenError('Company_Id deve ser a empresa do usuário');
        }
        const sessionId = randomUUID();
        const result = await handle(
          sessionStream,
          sessionStreamName(sessionId),
          {
            type: 'RegisterSession',
            sessionId,
            companyId: claims.companyId,
            name: body.Session_Name,
            phoneNumber: body.Phone_Number ?? null,
            tokenHash: body.Session_Token ? hashSessionToken(body.Session_Token) : null,
          },
          userContext(request, sessionId),
        );
        const row = await sessionAtRevision(db, sessionId, result.revision!);
        // The projection lags far behind (or stopped): answer from the event rather than fail a committed change.
        const recordedAt = result.events[0]?.metadata.recordedAt ?? new Date().toISOString();
        const fallback = {
          Id: sessionId,
          Company_Id: claims.companyId,
          Session_Name: body.Session_Name,
          Phone_Number: body.Phone_Number ?? null,
          Status: 0,
          Last_Heartbeat: null,
          Created_At: recordedAt,
          Updated_At: recordedAt,
        };
        return reply.status(201).send(row ? toSessionReply(row) : fallback);
      },
    );

    app.get(
      '/sessions',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'List the company’s sessions',
          response: { 200: z.array(sessionReply), ...authErrors },
        },
      },
      async (request) => (await companySessions(db, request.claims.companyId)).map(toSessionReply),
    );

    app.get(
      '/sessions/:id',
      {
        config: { access: 'read', sessionParam: 'id' },
        schema: {
          tags,
          summary: 'One session',
          params: sessionIdParams,
          response: { 200: sessionReply, ...sessionErrors },
        },
      },
      (request) => Promise.resolve(toSessionReply(request.ownSession)),
    );

    app.patch(
      '/sessions/:id',
      {
        config: { access: 'manage', sessionParam: 'id' },
        schema: {
          tags,
          summary: 'Change a session’s name, phone number or token',
          params: sessionIdParams,
          body: updateSessionBody,
          response: { 200: sessionReply, ...sessionErrors },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { Session_Name, Phone_Number, Session_Token } = request.body;
        const result = await handle(
          sessionStream,
          sessionStreamName(id),
          {
            type: 'UpdateSession',
            sessionId: id,
            ...(Session_Name === undefined ? {} : { name: Session_Name }),
            ...(Phone_Number === undefined ? {} : { phoneNumber: Phone_Number }),
            ...(Session_Token === undefined ? {} : { tokenHash: hashSessionToken(Session_Token) }),
          },
          userContext(request, id),
        );
        const row = await sessionAtRevision(db, id, result.revision!);
        if (row) return toSessionReply(row);
        const updated = {
          ...toSessionReply(request.ownSession),
          Updated_At: result.events[0]?.metadata.recordedAt ?? new Date().toISOString(),
        };
        return {
          ...updated,
          ...(Session_Name === undefined ? {} : { Session_Name }),
          ...(Phone_Number === undefined ? {} : { Phone_Number }),
        };
      },
    );

    app.delete(
      '/sessions/:id',
      {
        config: { access: 'manage', sessionParam: 'id' },
        schema: {
          tags,
          summary: 'Delete a session (a running one is stopped first)',
          params: sessionIdParams,
          response: { 204: z.null(), ...sessionErrors, 409: errorReply },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (request.ownSession.Status !== 0 || request.ownSession.Desired_State === 'running') {
          await supervisor.stop(id, userContext(request, id));
        }
        const result = await handle(
          sessionStream,
          sessionStreamName(id),
          { type: 'DeleteSession', sessionId: id },
          userContext(request, id),
        );
        await supervisor.forget(id);
        await sessionAtRevision(db, id, result.revision!);
        return reply.status(204).send(null);
      },
    );

    return Promise.resolve();
  };
