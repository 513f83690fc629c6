import pino from 'pino';

/** The logging the gateway's parts need; pino (Fastify's logger) satisfies it. */
export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The process logger: JSON lines, with credentials censored wherever they could appear. */
export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["sec-websocket-protocol"]', 'token', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      err: pino.stdSerializers.err,
      // The WebSocket token may come in the query string: never log it.
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        url: request.url.replace(/([?&]token=)[^&]*/, '$1[redacted]'),
        id: request.id,
      }),
    },
  });
}

export type ProcessLogger = ReturnType<typeof createLogger>;
