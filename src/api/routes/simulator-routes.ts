import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SimulatorControls } from '../../adapters/whatsapp/simulator/simulator-driver.js';
import { errorReply, sessionErrors, sessionIdParams } from '../schemas/common.js';

const messageId = z
  .string()
  .regex(/^(true|false)_[^_]+@[^_]+_[^_]+(_[^_]+@[^_]+)?$/, 'a WhatsApp message id')
  .max(200);
const contact = z.string().min(1).max(100);
const reactBody = z.object({ from: contact, messageId, emoji: z.string().max(32) }).strict();
const editBody = z.object({ from: contact, messageId, body: z.string().max(65_536) }).strict();
const revokeBody = z.object({ from: contact, messageId }).strict();
const voteBody = z
  .object({ from: contact, messageId, options: z.array(z.string().max(100)).max(12) })
  .strict();
const groupUpdateBody = z
  .object({
    groupId: z.string().min(1).max(100),
    action: z.enum(['add', 'remove', 'promote', 'demote']),
    participants: z.array(contact).min(1).max(256),
  })
  .strict();

const incomingBody = z
  .object({
    from: z.string().min(1).max(100),
    body: z.string().max(65_536),
    name: z.string().max(200).optional(),
    type: z.string().min(1).max(30).optional(),
    author: z.string().min(1).max(100).optional(),
    /** The number a `@lid` sender stands for. */
    phone: z.string().min(1).max(40).optional(),
    quotedId: messageId.optional(),
    mentions: z.array(z.string().min(1).max(100)).max(256).optional(),
    location: z
      .object({
        lat: z.number().min(-90).max(90),
        lng: z.number().min(-180).max(180),
        description: z.string().max(1024).nullable().optional(),
      })
      .strict()
      .optional(),
    /** Arrives first undecrypted (WhatsApp Web reports it twice); the gateway records it once, with its text. */
    encrypted: z.boolean().optional(),
    /** The sender's profile picture (base64), which the gateway fetches. */
    picture: z.base64().max(7_000_000).optional(),
    /** The name the session's phone keeps for the sender in its contact list. */
    contactName: z.string().min(1).max(200).optional(),
    media: z
      .object({
        mimetype: z.string().min(3).max(100),
        caption: z.string().max(1024).nullable().optional(),
        fileName: z.string().max(255).nullable().optional(),
        size: z.number().int().nonnegative().nullable().optional(),
        /** The file's bytes (base64), which the gateway downloads. */
        data: z.base64().optional(),
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

    app.get(
      '/simulator/sessions/:id/sent',
      {
        config,
        schema: {
          tags,
          summary:
            'Everything the simulated phone was asked to send, in order, whichever gateway process sent it',
          params: sessionIdParams,
          response: {
            200: z.object({
              messages: z.array(
                z.object({
                  id: z.string(),
                  to: z.string(),
                  type: z.string(),
                  body: z.string(),
                  sentAt: z.string(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => ({ messages: await simulator.sent(request.params.id) }),
    );

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
    /** A control that answers 204 once what it played is recorded. */
    const played = <B extends z.ZodType>(
      path: string,
      summary: string,
      body: B,
      play: (sessionId: string, input: z.infer<B>) => Promise<unknown>,
    ) =>
      app.post(
        `/simulator/sessions/:id/${path}`,
        {
          config,
          schema: { tags, summary, params: sessionIdParams, body, response: { 204: z.null(), ...errors } },
        },
        async (request, reply) => {
          await play(request.params.id, request.body as z.infer<B>);
          return reply.status(204).send(null);
        },
      );
    played('edit', 'A contact edits its message', editBody, (id, input) => simulator.edit(id, input));
    played('revoke', 'A contact deletes its message for everyone', revokeBody, (id, input) =>
      simulator.revoke(id, input),
    );
    played('vote', 'A contact votes in a poll, choosing options by name', voteBody, (id, input) =>
      simulator.vote(id, input),
    );
    played(
      'group-update',
      'Members of a group are added, removed, promoted or demoted',
      groupUpdateBody,
      (id, input) => simulator.groupUpdate(id, input),
    );

    app.post(
      '/simulator/sessions/:id/react',
      {
        config,
        schema: {
          tags,
          summary: 'A contact reacts to a message (an empty emoji takes the reaction back)',
          params: sessionIdParams,
          body: reactBody,
          response: { 202: z.object({ id: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const id = await simulator.react(request.params.id, request.body);
        return reply.status(202).send({ id });
      },
    );
    return Promise.resolve();
  };
