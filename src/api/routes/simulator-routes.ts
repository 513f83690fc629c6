import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SimulatorControls } from '../../adapters/whatsapp/simulator/simulator-driver.js';
import { errorReply, sessionErrors, sessionIdParams } from '../schemas/common.js';

const incomingBody = z
  .object({
    from: z.string().min(1).max(100),
    body: z.string().max(65_536),
    name: z.string().max(200).optional(),
    type: z.string().min(1).max(30).optional(),
    author: z.string().min(1).max(100).optional(),
    media: z
      .object({
        mimetype: z.string().min(3).max(100),
        caption: z.string().max(1024).nullable().optional(),
        fileName: z.string().max(255).nullable().optional(),
        size: z.number().int().nonnegative().nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => !b.from.endsWith('@g.us') || b.author !== undefined, {
    message: 'a group message needs an author',
    path: ['author'],
  });

const disconnectBody = z
  .object({ reason: z.string().min(1).max(500), unlink: z.boolean().optional() })
  .strict();

/** Playing the phone and the contacts, when the simulator driver is on (WA_DRIVER=simulator). */
export const simulatorRoutes =
  (simulator: SimulatorControls): FastifyPluginAsyncZod =>
  (app) => {
    const tags = ['simulator'];
    const config = { access: 'manage', sessionParam: 'id', whatsAppContent: true } as const;
    const errors = { ...sessionErrors, 409: errorReply };

    app.post(
      '/simulator/sessions/:id/scan',
      {
        config,
        schema: {
          tags,
          summary: 'The QR code was scanned: the session connects',
          params: sessionIdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await simulator.scan(request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/simulator/sessions/:id/incoming',
      {
        config,
        schema: {
          tags,
          summary: 'A contact (or a group member) writes to the session',
          params: sessionIdParams,
          body: incomingBody,
          response: { 202: z.object({ id: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const id = await simulator.incoming(request.params.id, request.body);
        return reply.status(202).send({ id });
      },
    );

    app.post(
      '/simulator/sessions/:id/disconnect',
      {
        config,
        schema: {
          tags,
          summary: 'The connection drops (or, with unlink, the phone unlinks the device)',
          params: sessionIdParams,
          body: disconnectBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await simulator.disconnect(request.params.id, request.body.reason, {
          unlink: request.body.unlink ?? false,
        });
        return reply.status(204).send(null);
      },
    );
    return Promise.resolve();
  };
