import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MediaBlobStore } from '../../app/media-blob-store.js';
import type { ApiDeps } from '../api-deps.js';
import { byteRange } from '../byte-range.js';
import { HttpError, NotFoundError } from '../http-errors.js';
import { errorReply, sessionErrors } from '../schemas/common.js';

const params = z
  .object({
    id: z.uuid({ message: 'must be a session id (UUID)' }),
    messageId: z.string().min(1).max(200),
  })
  .strict();

/**
 * `GET /whatsapp/sessions/:id/messages/:messageId/media`: an incoming message's kept file, with its type, size,
 * name, ETag (its SHA-256) and byte ranges. Another company's session, a message without a kept file: 404.
 */
export const messageMediaRoutes =
  (deps: Pick<ApiDeps, 'db'> & { blobs: MediaBlobStore }): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/whatsapp/sessions/:id/messages/:messageId/media',
      {
        config: { access: 'read', sessionParam: 'id' },
        schema: {
          tags: ['whatsapp'],
          summary:
            "A message's file (the media `url` of the message shape); Range gives 206 with that part, 416 beyond the file; ETag is its SHA-256",
          params,
          response: {
            200: z.unknown().describe('the file'),
            206: z.unknown().describe('the requested part of the file'),
            ...sessionErrors,
            416: errorReply,
          },
        },
      },
      async (request, reply) => {
        const { id, messageId } = request.params;
        const row = await deps.db
          .selectFrom('Messages')
          .select(['Media_Sha256', 'Media_File_Name'])
          .where('Session_Id', '=', id)
          .where((eb) =>
            eb.or([eb('Wa_Message_Id', '=', messageId), eb(eb.cast('Id', 'text'), '=', messageId)]),
          )
          .executeTakeFirst();
        const sha256 = row?.Media_Sha256;
        const notFound = new NotFoundError('Mídia não encontrada');
        if (!sha256) throw notFound;
        const companyId = request.ownSession.Company_Id;
        const file = await deps.blobs.stat(companyId, sha256);
        if (!file) throw notFound;
        const fileName = row.Media_File_Name ?? `${sha256.slice(0, 16)}`;
        reply
          .header('content-type', file.mimetype)
          .header('etag', `"${sha256}"`)
          .header('accept-ranges', 'bytes')
          .header(
            'content-disposition',
            `inline; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          );
        const range = byteRange(request.headers.range, file.size);
        if (range === 'unsatisfiable') {
          reply.header('content-range', `bytes */${file.size}`);
          throw new HttpError(416, 'Intervalo fora do arquivo');
        }
        const { start, end } = range ?? { start: 0, end: file.size - 1 };
        if (range) reply.status(206).header('content-range', `bytes ${start}-${end}/${file.size}`);
        reply.header('content-length', String(Math.max(0, end - start + 1)));
        return reply.send(Readable.from(deps.blobs.read(companyId, sha256, { start, end })));
      },
    );
    return Promise.resolve();
  };
