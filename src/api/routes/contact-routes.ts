import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InvalidJidError, phoneOf, toJid } from '../../domain/jid.js';
import type { ApiDeps } from '../api-deps.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { numberExistsReply, numberParams } from '../schemas/contact-schemas.js';

/** `GET /whatsapp/sessions/:id/contacts/:number/exists`: whether a number is on WhatsApp, asked of WhatsApp. */
export const contactRoutes =
  (deps: Pick<ApiDeps, 'numberCheck'>): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/whatsapp/sessions/:id/contacts/:number/exists',
      {
        config: { access: 'read', sessionParam: 'id' },
        schema: {
          tags: ['contacts'],
          summary:
            'Whether a number (international format, digits, optionally with @c.us) is on WhatsApp; answers are remembered for NUMBER_CHECK_TTL_MS. 409 when the session is not connected',
          params: numberParams,
          response: { 200: numberExistsReply, ...sessionErrors, 409: errorReply },
        },
      },
      async (request) => {
        const phone = phoneOf(toJid(request.params.number));
        if (!phone) throw new InvalidJidError(request.params.number);
        return deps.numberCheck.check(request.params.id, phone);
      },
    );
    return Promise.resolve();
  };
