import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http-errors.js';
import { errorReply, sessionErrors } from '../schemas/common.js';

/**
 * Why buttons and list messages are refused. WPPConnect 2.3.3 still has `sendText(to, text, { buttons })` and
 * `sendListMessage` (WA-JS template buttons and `sendListMessage`), but WhatsApp no longer delivers them to
 * regular and Business app accounts: they arrive blank or not at all outside the Cloud API. Answering success
 * for a message nobody sees would be a fake success.
 */
export const interactiveUnsupportedReason =
  'O WhatsApp não entrega mais botões nem listas a contas do aplicativo (comum ou Business) — só pela Cloud API; o WPPConnect 2.3.3 ainda os envia (sendText com buttons, sendListMessage), mas chegam em branco ou não chegam. Envie um texto, uma enquete (send-poll) ou uma localização.';

const interactiveBody = z.object({ sessionId: z.uuid(), to: z.string().min(1).max(100) }).loose();

/** `POST /whatsapp/messages/send-buttons` and `send-list`: 501, with the reason, whatever the body. */
export const interactiveRoutes = (): FastifyPluginAsyncZod => (app) => {
  for (const [path, what] of [
    ['/whatsapp/messages/send-buttons', 'buttons'],
    ['/whatsapp/messages/send-list', 'a list message'],
  ] as const) {
    app.post(
      path,
      {
        config: { access: 'send' },
        schema: {
          tags: ['whatsapp'],
          summary: `Send ${what}: not possible (501): WhatsApp no longer delivers interactive messages to app accounts`,
          body: interactiveBody,
          response: { ...sessionErrors, 501: errorReply },
        },
      },
      () => {
        throw new HttpError(501, interactiveUnsupportedReason);
      },
    );
  }
  return Promise.resolve();
};
