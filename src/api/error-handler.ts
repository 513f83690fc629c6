import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ConcurrencyRetriesExhaustedError } from '../app/command-handler.js';
import { SessionNotOwnedHereError } from '../app/outbox-sender.js';
import { SessionStartFailedError } from '../app/session-supervisor.js';
import { SessionLinkingUnderWayError } from '../app/supervised-session.js';
import { StopNotConfirmedError } from '../app/stop-confirmation.js';
import { NumberNotOnWhatsAppError } from '../app/number-check.js';
import {
  GroupCallFailedError,
  GroupChangeRefusedError,
  GroupNotFoundError,
  SessionNotRunningError,
} from '../adapters/whatsapp/port.js';
import {
  SimulatedMessageIdError,
  SimulatedPairingCodeError,
  SimulatedSessionNotRunningError,
  SimulatedSessionStateError,
} from '../adapters/whatsapp/simulator/simulator-errors.js';
import {
  EmptyMessageError,
  IdempotencyKeyReusedError,
  InvalidPollError,
  MessageNotChangeableError,
  UnknownMessageError,
} from '../domain/chat/chat-errors.js';
import { InvalidJidError } from '../domain/jid.js';
import { GroupCommandOutsideGroupError } from '../domain/chat/chat-errors.js';
import {
  SessionAlreadyConnectedError,
  SessionAlreadyRegisteredError,
  SessionDeletedError,
  SessionNotConnectedError,
  SessionNotFoundError,
} from '../domain/session/session-errors.js';
import { BusDisconnectedError } from '../adapters/bus/bus-errors.js';
import { HttpError } from './http-errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every error a caller can act on, and the status it is answered with. Anything else is a 500. */
const statusByError: [ErrorClass, number, string?][] = [
  [HttpError, 0],
  [SessionNotFoundError, 404, 'Sessão não encontrada'],
  [SessionDeletedError, 404, 'Sessão não encontrada'],
  [SessionAlreadyRegisteredError, 409],
  [SessionNotConnectedError, 409, 'A sessão não está conectada'],
  [InvalidJidError, 400],
  [EmptyMessageError, 400],
  [InvalidPollError, 400],
  [UnknownMessageError, 404],
  [MessageNotChangeableError, 409],
  [IdempotencyKeyReusedError, 422],
  [SimulatedSessionNotRunningError, 409],
  [SimulatedMessageIdError, 400],
  [SimulatedPairingCodeError, 400],
  [SimulatedSessionStateError, 409],
  [SessionStartFailedError, 503],
  [SessionNotOwnedHereError, 409, 'A sessão não está conectada'],
  [SessionNotRunningError, 409, 'A sessão não está conectada'],
  [NumberNotOnWhatsAppError, 422],
  [SessionAlreadyConnectedError, 409, 'A sessão já está conectada'],
  [
    SessionLinkingUnderWayError,
    409,
    'A sessão já está sendo iniciada; pare-a antes de vincular por número de telefone',
  ],
  [ConcurrencyRetriesExhaustedError, 503, 'A sessão está ocupada; tente novamente'],
  [BusDisconnectedError, 503, 'O barramento entre os processos está reconectando; tente novamente'],
  [
    StopNotConfirmedError,
    504,
    'A parada foi pedida, mas o processo que executa a sessão não a confirmou a tempo',
  ],
  [GroupNotFoundError, 404],
  [GroupChangeRefusedError, 422],
  [GroupCallFailedError, 502],
  [GroupCommandOutsideGroupError, 400],
];

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  504: 'Gateway Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  // Only buttons and list messages answer 501 (interactive-routes.ts): messages WhatsApp no longer delivers to
  // app accounts, so the reason phrase says that rather than HTTP's generic one.
  501: 'Not Delivered by WhatsApp to App Accounts',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function sendError(reply: FastifyReply, statusCode: number, message: string, details?: unknown) {
  return reply.status(statusCode).send({
    statusCode,
    error: reasons[statusCode] ?? 'Error',
    message,
    ...(details === undefined ? {} : { details }),
    requestId: reply.request.id,
  });
}

/** Maps errors to `{ statusCode, error, message }` replies, in one place; never leaks a stack trace. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const details = error.validation.map((issue) => ({
        location: where,
        path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
        message: issue.message ?? 'invalid',
      }));
      return sendError(
        reply,
        400,
        `Requisição inválida: ${details.map((d) => `${d.location} ${d.path}: ${d.message}`).join('; ')}`,
        details,
      );
    }
    for (const [errorClass, status, message] of statusByError) {
      if (error instanceof errorClass) {
        const code = error instanceof HttpError ? error.statusCode : status;
        return sendError(reply, code, message ?? error.message, (error as { details?: unknown }).details);
      }
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, error.message);
    }
    request.log.error({ err: error }, 'Request failed');
    return sendError(reply, 500, 'Erro interno do servidor');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `Rota ${request.method} ${request.url.split('?')[0]} não encontrada`),
  );
}
