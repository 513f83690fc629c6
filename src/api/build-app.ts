import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { lifetimeMs } from '../lifetime.js';
import type { ApiDeps } from './api-deps.js';
import { bearerToken, registerAccessControl } from './auth/register-access-control.js';
import { verifyTokenOnce } from './auth/verify-once.js';
import { registerErrorHandling } from './error-handler.js';
import { registerNulCharacterCheck } from './nul-character-check.js';
import { requestIdFrom } from './request-id.js';
import { registerRequestMetrics } from './request-metrics.js';
import './fastify-types.js';
import { builtConsoleDir } from './console/console-files.js';
import { consoleRoutes } from './console/console-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { chatReadRoutes } from './routes/chat-read-routes.js';
import { contactRoutes } from './routes/contact-routes.js';
import { messageMediaRoutes } from './routes/message-media-routes.js';
import { contactPictureRoutes } from './routes/contact-picture-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { sendMediaRoutes } from './routes/send-media-routes.js';
import { sendRoutes } from './routes/send-routes.js';
import { conversationSendRoutes } from './routes/conversation-send-routes.js';
import { sessionsRoutes } from './routes/sessions-routes.js';
import { simulatorRoutes } from './routes/simulator-routes.js';
import { simulatorPairingRoutes } from './routes/simulator-pairing-routes.js';
import { statsRoutes } from './routes/stats-routes.js';
import { whatsappSessionRoutes } from './routes/whatsapp-session-routes.js';
import { webhooksRoutes } from './routes/webhooks-routes.js';
import { groupRoutes } from './routes/group-routes.js';
import { interactiveRoutes } from './routes/interactive-routes.js';
import { privacyRoutes } from './routes/privacy-routes.js';
import { createSocketHub, type SocketHub } from './ws/socket-hub.js';
import { whatsappSocketRoute } from './ws/whatsapp-socket-route.js';

/**
 * The HTTP and WebSocket API, wired to the given dependencies; call `listen` (or `inject` in tests).
 *
 * @example
 * const { app } = await buildApp(deps);
 * await app.listen({ port: 3000 });
 */
export async function buildApp(deps: ApiDeps): Promise<{ app: FastifyInstance; hub: SocketHub }> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    loggerInstance,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  registerErrorHandling(app);
  if (deps.metrics) registerRequestMetrics(app, deps.metrics);
  // The API answers JSON, which a policy does not protect; /console sets its own (console-routes.ts).
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });
  const origins = deps.config.CORS_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  await app.register(fastifyCors, { origin: origins?.includes('*') ? true : (origins ?? false) });
  await app.register(fastifyRateLimit, {
    // Not per route: a route's own hooks run after the application's, so the 401 of a bad token would come
    // before the count. The limit is the application's first onRequest hook instead (below).
    global: false,
    max: deps.config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    // Per user when the token is valid; otherwise per address, so that made-up tokens cannot each get a fresh budget.
    keyGenerator: (request) => {
      const token = bearerToken(request);
      if (token) {
        try {
          const claims = verifyTokenOnce(request, token) as { companyId?: unknown; sub?: unknown };
          return `user:${String(claims.companyId)}:${String(claims.sub)}`;
        } catch {
          // An invalid token is answered 401 later; it counts against its address.
        }
      }
      return `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => {
      const error = new Error(`Limite de ${context.max} requisições por minuto excedido`) as Error & {
        statusCode: number;
      };
      error.statusCode = 429;
      return error;
    },
  });
  app.addHook('onRequest', app.rateLimit());
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'zapledger',
        version: '1',
        description: 'Multi-tenant WhatsApp gateway with an audit trail of everything that happened.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, access: 'public' };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
  });
  await registerAccessControl(app, deps.jwt, deps.db, {
    maxTokenLifetimeMs: lifetimeMs(deps.config.JWT_MAX_TTL),
  });
  registerNulCharacterCheck(app);

  const hub = createSocketHub(deps.bus, deps.busPattern ?? 'wa.>', app.log);
  await app.register(healthRoutes(deps));
  if (deps.metrics) {
    deps.metrics.watch({ wsConnections: () => hub.clientCount() });
    await app.register(metricsRoutes(deps.metrics, deps.config.METRICS_TOKEN));
  }
  await app.register(sessionsRoutes(deps));
  await app.register(whatsappSessionRoutes(deps));
  await app.register(statsRoutes(deps));
  await app.register(sendRoutes(deps));
  await app.register(sendMediaRoutes(deps));
  await app.register(conversationSendRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(groupRoutes(deps));
  await app.register(interactiveRoutes());
  if (deps.webhooks) await app.register(webhooksRoutes(deps.webhooks, deps.db));
  if (deps.privacy) await app.register(privacyRoutes(deps.privacy));
  await app.register(contactRoutes(deps));
  await app.register(chatReadRoutes(deps));
  await app.register(messageMediaRoutes(deps));
  await app.register(contactPictureRoutes(deps));
  if (deps.simulator) await app.register(simulatorRoutes(deps.simulator));
  if (deps.simulator) await app.register(simulatorPairingRoutes(deps.simulator));
  await app.register(whatsappSocketRoute(hub));
  await app.register(consoleRoutes(deps.consoleDir ?? builtConsoleDir()));
  app.addHook('onReady', () => hub.start());
  app.addHook('onClose', () => hub.stop());
  return { app, hub };
}
