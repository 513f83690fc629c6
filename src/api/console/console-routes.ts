import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../http-errors.js';
import { cacheControlOf, consoleFilePath, contentTypeOf } from './console-files.js';

/**
 * Only the console's own files may run or load: no inline script, no eval, no other origin. `connect-src 'self'`
 * covers the WebSocket of the same host too. The rest of the API keeps helmet's settings without a policy.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `/console`: the web console's built files (`npm run build:console`), from `root`. */
export const consoleRoutes =
  (root: string): FastifyPluginAsyncZod =>
  (app) => {
    const config = { access: 'public' } as const;
    const schema = { hide: true } as const;

    async function sendFile(reply: FastifyReply, requested: string) {
      const path = consoleFilePath(root, requested);
      const type = path && contentTypeOf(path);
      if (!path || !type) throw new NotFoundError('Arquivo não encontrado');
      const body = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'EISDIR') {
          throw new NotFoundError(
            requested === 'index.html'
              ? 'Console não compilado: rode npm run build'
              : 'Arquivo não encontrado',
          );
        }
        throw error;
      });
      return reply
        .header('content-type', type)
        .header('cache-control', cacheControlOf(requested))
        .header('content-security-policy', consoleContentSecurityPolicy)
        .header('x-content-type-options', 'nosniff')
        .send(body);
    }

    app.get('/console', { config, schema }, (request, reply) => {
      const query = request.url.indexOf('?');
      return reply.redirect(`/console/${query === -1 ? '' : request.url.slice(query)}`, 302);
    });
    app.get('/console/', { config, schema }, (_request, reply) => sendFile(reply, 'index.html'));
    app.get(
      '/console/*',
      { config, schema: { ...schema, params: z.object({ '*': z.string().max(300) }) } },
      (request, reply) => sendFile(reply, request.params['*']),
    );
    return Promise.resolve();
  };
