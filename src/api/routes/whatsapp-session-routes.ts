import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { connectionStatuses } from '../../domain/session/session-state.js';
import { toJid } from '../../domain/jid.js';
import { SessionRunsElsewhereError } from '../../app/session-leases.js';
import { SessionLinkingUnderWayError } from '../../app/supervised-session.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError, NotFoundError } from '../http-errors.js';
import { chatMessages } from '../../projections/messages/chat-messages.js';
import { sessionChats } from '../../projections/chats/session-chats.js';
import { liveStatus } from '../../projections/sessions/session-rows.js';
import { qrDataUrl } from '../qr-image.js';
import { errorReply, messageReply, sessionErrors, sessionIdParams } from '../schemas/common.js';
import {
  chatParams,
  chatsQuery,
  chatsReply,
  messagesQuery,
  messagesReply,
  qrReply,
  startBody,
  startReply,
  statusReply,
} from '../schemas/whatsapp-schemas.js';
import { userContext } from '../user-context.js';

const statusName = (code: number) => connectionStatuses[code] ?? 'disconnected';

/** Start, QR, status, stop, chats and messages of one session. */
export const whatsappSessionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    const { supervisor } = deps;
    const tags = ['whatsapp'];
    const own = { sessionParam: 'id' } as const;

    app.post(
      '/whatsapp/sessions/:id/start',
      {
        config: { access: 'manage', ...own },
        schema: {
          tags,
          summary:
            'Start a session; answers with its QR code, or connected when its login was restored. With `phoneNumber`, links by phone number: answers status `pairing` and the `pairingCode` to enter on the phone (409 when the session is connected or already starting another way)',
          params: sessionIdParams,
          body: startBody,
          response: { 200: startReply, ...sessionErrors, 409: errorReply, 503: errorReply },
        },
      },
      async (request) => {
        const phoneNumber = request.body?.phoneNumber;
        const view = await supervisor
          .start(request.params.id, userContext(request, request.params.id), phoneNumber)
          .catch((error: unknown) => {
            // Running on another gateway process: answer its current state, as for a session already running here.
            if (!(error instanceof SessionRunsElsewhereError)) throw error;
            const { Status, Qr_Code, Pairing_Code } = request.ownSession;
            const status = statusName(Status);
            if (phoneNumber && status !== 'pairing') throw new SessionLinkingUnderWayError(request.params.id);
            return { status, qrCode: Qr_Code, pairingCode: Pairing_Code };
          });
        return {
          message: 'Sessão iniciada com sucesso',
          status: view.status,
          ...(view.status === 'qr' && view.qrCode ? { qrCode: await qrDataUrl(view.qrCode) } : {}),
          ...(view.status === 'pairing' && view.pairingCode ? { pairingCode: view.pairingCode } : {}),
        };
      },
    );

    app.get(
      '/whatsapp/sessions/:id/qr',
      {
        config: { access: 'manage', ...own },
        schema: {
          tags,
          summary: 'The current QR code (404 when there is none, 410 when older than 1 minute)',
          params: sessionIdParams,
          response: { 200: qrReply, ...sessionErrors, 410: errorReply },
        },
      },
      async (request) => {
        const { Qr_Code, Qr_Expires_At, Status } = request.ownSession;
        if (!Qr_Code || !Qr_Expires_At || statusName(Status) !== 'qr')
          throw new HttpError(404, 'QR Code não disponível');
        if (new Date(Qr_Expires_At).getTime() <= Date.now()) throw new HttpError(410, 'QR Code expirado');
        return { qrCode: await qrDataUrl(Qr_Code) };
      },
    );

    app.get(
      '/whatsapp/sessions/:id/status',
      {
        config: { access: 'read', ...own },
        schema: {
          tags,
          summary: 'Connection status',
          params: sessionIdParams,
          response: { 200: statusReply, ...sessionErrors },
        },
      },
      (request) => {
        const status = statusName(liveStatus(request.ownSession));
        const { Pairing_Code } = request.ownSession;
        return Promise.resolve({
          sessionId: request.ownSession.Id,
          status,
          isConnected: status === 'connected',
          ...(status === 'pairing' && Pairing_Code ? { pairingCode: Pairing_Code } : {}),
        });
      },
    );

    app.post(
      '/whatsapp/sessions/:id/stop',
      {
        config: { access: 'manage', ...own },
        schema: {
          tags,
          summary: 'Stop a session (its login is kept)',
          params: sessionIdParams,
          response: { 200: messageReply, ...sessionErrors },
        },
      },
      async (request) => {
        await supervisor.stop(request.params.id, userContext(request, request.params.id));
        return { message: 'Sessão desconectada com sucesso' };
      },
    );

    app.get(
      '/whatsapp/sessions/:id/chats',
      {
        // The session's tenancy is checked inside the read's one statement, not by a query of its own.
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'Chats, most recent first',
          params: sessionIdParams,
          querystring: chatsQuery,
          response: { 200: chatsReply, ...sessionErrors },
        },
      },
      async (request) => {
        const chats = await sessionChats(
          deps.prepared,
          request.claims.companyId,
          request.params.id,
          request.query.limit,
        );
        if (!chats) throw new NotFoundError();
        return { chats };
      },
    );

    app.get(
      '/whatsapp/sessions/:id/chats/:chatId/messages',
      {
        // The session's tenancy is checked inside the read's one statement, not by a query of its own.
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'The most recent messages of a chat, oldest first; `before` pages further back',
          params: chatParams,
          querystring: messagesQuery,
          response: { 200: messagesReply, ...sessionErrors },
        },
      },
      async (request) => {
        const messages = await chatMessages(
          deps.prepared,
          request.claims.companyId,
          request.params.id,
          toJid(request.params.chatId),
          request.query.limit,
          request.query.before,
        );
        if (!messages) throw new NotFoundError();
        return { messages, total: messages.length };
      },
    );

    return Promise.resolve();
  };
