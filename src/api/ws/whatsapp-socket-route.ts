import type {} from '@fastify/websocket';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { connectionStatuses } from '../../domain/session/session-state.js';
import { liveStatus } from '../../projections/sessions/session-rows.js';
import { allowedRoles } from '../auth/claims.js';
import { policyViolationCloseCode, type SocketHub } from './socket-hub.js';

const pingIntervalMs = 30_000;

/**
 * `ws://host/ws/whatsapp/:sessionId`, authenticated by `?token=` or `Sec-WebSocket-Protocol: bearer, <JWT>`;
 * the access hooks run on the upgrade request, so a bad token or another company's session never upgrades.
 */
export const whatsappSocketRoute =
  (hub: SocketHub): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/ws/whatsapp/:sessionId',
      {
        websocket: true,
        config: { access: 'read', sessionParam: 'sessionId' },
        schema: {
          hide: true,
          params: z.object({ sessionId: z.uuid({ message: 'must be a session id (UUID)' }) }).strict(),
          querystring: z.object({ token: z.string().optional() }).strict(),
        },
      },
      (socket, request) => {
        const session = request.ownSession;
        const status = connectionStatuses[liveStatus(session)] ?? 'disconnected';
        let alive = true;
        socket.on('pong', () => (alive = true));
        const ping = setInterval(() => {
          if (!alive) return socket.terminate();
          alive = false;
          socket.ping();
        }, pingIntervalMs);
        // Authorisation was checked at the upgrade; it ends when the token does.
        const expiresInMs =
          request.claims.exp === undefined ? undefined : request.claims.exp * 1000 - Date.now();
        // setTimeout cannot wait longer than about 24.8 days; a token lasting longer is not timed here.
        const expiry =
          expiresInMs === undefined || expiresInMs > 2 ** 31 - 1
            ? undefined
            : setTimeout(
                () => socket.close(policyViolationCloseCode, 'Token expired'),
                Math.max(0, expiresInMs),
              );
        socket.once('close', () => {
          clearInterval(ping);
          if (expiry) clearTimeout(expiry);
        });
        hub.add(
          session.Id,
          socket,
          { type: 'status', data: { sessionId: session.Id, status, isConnected: status === 'connected' } },
          { maySeeQrCodes: allowedRoles.manage.includes(request.claims.role) },
        );
      },
    );
    return Promise.resolve();
  };
