import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import type { ContactExport } from '../../app/privacy/export-contact.js';
import type { ErasureRequest } from '../../app/privacy/erase-contact.js';
import { contactPhone } from '../../domain/privacy/contact-phone.js';
import { InvalidContactPhoneError } from '../../domain/privacy/privacy-errors.js';
import type { ContactErasedData } from '../../domain/privacy/privacy-events.js';
import { HttpError } from '../http-errors.js';
import { authErrors } from '../schemas/common.js';

/** What the privacy routes work with (wired in gateway.ts). */
export interface PrivacyServices {
  erase(request: ErasureRequest): Promise<ContactErasedData>;
  export(companyId: string, phone: string): Promise<ContactExport>;
  /** Stored events with their personal fields opened (or erased), for the audit trail. */
  open(events: readonly RecordedEvent[]): Promise<RecordedEvent[]>;
}

const phoneParams = z.object({ phone: z.string().min(1).max(40) });
const rows = z.array(z.record(z.string(), z.unknown()));

/** A contact's rights under LGPD/GDPR: access (export) and erasure (crypto-shredding), ADMIN only. */
export const privacyRoutes =
  (privacy: PrivacyServices): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/privacy/contacts/:phone/export',
      {
        config: { access: 'audit' },
        schema: {
          tags: ['privacy'],
          summary:
            "Every message, chat and client row of a contact in the caller's company (right of access)",
          params: phoneParams,
          response: {
            200: z.object({ phone: z.string(), messages: rows, chats: rows, clients: rows }),
            ...authErrors,
          },
        },
      },
      async (request) => privacy.export(request.claims.companyId, phoneOf(request.params.phone)),
    );

    app.delete(
      '/privacy/contacts/:phone',
      {
        config: { access: 'audit' },
        schema: {
          tags: ['privacy'],
          summary:
            "Erases a contact of the caller's company: its key is destroyed, read models show body null and erased: true, names, pictures and files go; the erasure is recorded",
          params: phoneParams,
          response: {
            202: z.object({ contactHash: z.string(), chats: z.number().int() }),
            ...authErrors,
          },
        },
      },
      async (request, reply) => {
        const erased = await privacy.erase({
          companyId: request.claims.companyId,
          phone: phoneOf(request.params.phone),
          actor: { type: 'user', id: request.claims.sub },
          correlationId: request.id,
        });
        return reply.code(202).send(erased);
      },
    );
    return Promise.resolve();
  };

function phoneOf(input: string): string {
  try {
    return contactPhone(input);
  } catch (error) {
    if (error instanceof InvalidContactPhoneError) throw new HttpError(400, `phone: ${error.message}`);
    throw error;
  }
}
