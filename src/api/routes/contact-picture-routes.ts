import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientKeyOf } from '../../domain/client-key.js';
import { toJid } from '../../domain/jid.js';
import type { MediaBlobStore } from '../../app/media-blob-store.js';
import type { ApiDeps } from '../api-deps.js';
import { NotFoundError } from '../http-errors.js';
import { sessionErrors } from '../schemas/common.js';

const params = z
  .object({
    id: z.uuid({ message: 'must be a session id (UUID)' }),
    jid: z.string().min(1).max(100),
  })
  .strict();

/**
 * `GET /whatsapp/sessions/:id/contacts/:jid/picture`: the contact's profile picture as the gateway last kept it
 * (the Clients row's `Profile_Picture_Url`), with its type and ETag (its SHA-256). None kept, another company's
 * session: 404.
 */
export const contactPictureRoutes =
  (deps: Pick<ApiDeps, 'db'> & { blobs: MediaBlobStore }): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/whatsapp/sessions/:id/contacts/:jid/picture',
      {
        config: { access: 'read', sessionParam: 'id' },
        schema: {
          tags: ['whatsapp'],
          summary:
            "A contact's profile picture (the Clients row's Profile_Picture_Url); ETag is its SHA-256, If-None-Match answers 304",
          params,
          response: {
            200: z.unknown().describe('the image'),
            304: z.unknown().describe('the picture has not changed'),
            ...sessionErrors,
          },
        },
      },
      async (request, reply) => {
        const notFound = new NotFoundError('Foto de perfil não encontrada');
        // Not an address: 400 (InvalidJidError); a group's: no picture kept, 404.
        const jid = toJid(request.params.jid);
        const key = clientKeyOf(jid);
        if (!key) throw notFound;
        const companyId = request.ownSession.Company_Id;
        // (A linked-device id's row joins its number's once the id is learned to be that number's: its picture is
        // then served by the number, as the row's Profile_Picture_Url then says.)
        const row = await deps.db
          .selectFrom('Clients')
          .select('Profile_Picture_Sha256')
          .where('Company_Id', '=', companyId)
          .where('Wa_Number', '=', key)
          .executeTakeFirst();
        const sha256 = row?.Profile_Picture_Sha256;
        if (!sha256) throw notFound;
        const file = await deps.blobs.stat(companyId, sha256);
        if (!file) throw notFound;
        const etag = `"${sha256}"`;
        reply.header('etag', etag).header('cache-control', 'private, max-age=3600');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        reply.header('content-type', file.mimetype).header('content-length', String(file.size));
        return reply.send(
          Readable.from(deps.blobs.read(companyId, sha256, { start: 0, end: file.size - 1 })),
        );
      },
    );
    return Promise.resolve();
  };
