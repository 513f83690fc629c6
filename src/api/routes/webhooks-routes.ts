import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import type { WebhookDeliveries } from '../../adapters/db/webhooks/webhook-deliveries.js';
import type { Webhook, WebhookRegistry } from '../../adapters/db/webhooks/webhook-registry.js';
import { generateWebhookSecret } from '../../domain/webhooks/webhook-signature.js';
import { sessionRows } from '../../projections/sessions/session-rows.js';
import { NotFoundError } from '../http-errors.js';
import { assertPublicUrl } from '../public-address.js';
import { authErrors, errorReply } from '../schemas/common.js';
import {
  acceptedReply,
  createdWebhookReply,
  createWebhookBody,
  deliveriesQuery,
  deliveriesReply,
  deliveryParams,
  replayBody,
  updateWebhookBody,
  webhookIdParams,
  webhookReply,
} from '../schemas/webhook-schemas.js';

/** What the webhook routes work with; wired in gateway.ts. */
export interface WebhookServices {
  registry: WebhookRegistry;
  deliveries: WebhookDeliveries;
  /** Told after a change, so that this process's deliveries follow it at once. */
  changed(): void;
  retryHours: number;
  allowPrivate: boolean;
}

const notFoundErrors = { ...authErrors, 404: errorReply } as const;

/** `/webhooks`: a company's webhooks, their delivery logs, retry and replay. ADMIN and MANAGER only. */
export const webhooksRoutes =
  (services: WebhookServices, db: Kysely<ReadModelSchema>): FastifyPluginAsyncZod =>
  (app) => {
    const { registry, deliveries } = services;
    const tags = ['webhooks'];
    const config = { access: 'manage' } as const;

    async function assertAllowedTarget(url: string): Promise<void> {
      if (!services.allowPrivate) await assertPublicUrl(new URL(url));
    }

    async function ownWebhook(companyId: string, id: string): Promise<Webhook> {
      const webhook = await registry.get(companyId, id);
      if (!webhook) throw new NotFoundError('Webhook não encontrado');
      return webhook;
    }

    app.post(
      '/webhooks',
      {
        config,
        schema: {
          tags,
          summary: 'Register a webhook for the company’s sessions (or one of them)',
          description:
            'Deliveries are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). ' +
            'Without `secret`, one is generated; it is shown only in this reply.',
          body: createWebhookBody,
          response: { 201: createdWebhookReply, ...notFoundErrors },
        },
      },
      async (request, reply) => {
        const { body, claims } = request;
        if (body.sessionId) {
          const session = await sessionRows(db)
            .where('Id', '=', body.sessionId)
            .where('Company_Id', '=', claims.companyId)
            .where('Deleted_At', 'is', null)
            .executeTakeFirst();
          if (!session) throw new NotFoundError();
        }
        await assertAllowedTarget(body.url);
        const secret = body.secret ?? generateWebhookSecret();
        const webhook = await registry.create({
          id: randomUUID(),
          companyId: claims.companyId,
          sessionId: body.sessionId ?? null,
          url: body.url,
          events: body.events,
          secret,
        });
        services.changed();
        return reply.status(201).send({ ...toReply(webhook), secret });
      },
    );

    app.get(
      '/webhooks',
      {
        config,
        schema: {
          tags,
          summary: 'The company’s webhooks',
          response: { 200: z.array(webhookReply), ...authErrors },
        },
      },
      async (request) => (await registry.list(request.claims.companyId)).map(toReply),
    );

    app.get(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          summary: 'One webhook',
          params: webhookIdParams,
          response: { 200: webhookReply, ...notFoundErrors },
        },
      },
      async (request) => toReply(await ownWebhook(request.claims.companyId, request.params.id)),
    );

    app.patch(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Change a webhook’s URL, events, or turn it off and on',
          params: webhookIdParams,
          body: updateWebhookBody,
          response: { 200: webhookReply, ...notFoundErrors },
        },
      },
      async (request) => {
        const { companyId } = request.claims;
        await ownWebhook(companyId, request.params.id);
        if (request.body.url) await assertAllowedTarget(request.body.url);
        const updated = await registry.update(companyId, request.params.id, request.body);
        if (!updated) throw new NotFoundError('Webhook não encontrado');
        services.changed();
        return toReply(updated);
      },
    );

    app.delete(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Delete a webhook and its delivery log',
          params: webhookIdParams,
          response: { 204: z.null(), ...notFoundErrors },
        },
      },
      async (request, reply) => {
        if (!(await registry.remove(request.claims.companyId, request.params.id)))
          throw new NotFoundError('Webhook não encontrado');
        services.changed();
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        config,
        schema: {
          tags,
          summary: 'The webhook’s deliveries, most recent first',
          params: webhookIdParams,
          querystring: deliveriesQuery,
          response: { 200: deliveriesReply, ...notFoundErrors },
        },
      },
      async (request) => {
        const webhook = await ownWebhook(request.claims.companyId, request.params.id);
        const { status, limit } = request.query;
        return { deliveries: await deliveries.log(webhook.id, { limit, ...(status ? { status } : {}) }) };
      },
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/retry',
      {
        config,
        schema: {
          tags,
          summary: 'Send one delivery again, now (same webhook-id), with a fresh retry window',
          params: deliveryParams,
          response: { 202: acceptedReply, ...notFoundErrors },
        },
      },
      async (request, reply) => {
        const webhook = await ownWebhook(request.claims.companyId, request.params.id);
        if (!(await deliveries.retry(webhook.id, request.params.deliveryId, services.retryHours)))
          throw new NotFoundError('Entrega não encontrada');
        services.changed();
        return reply.status(202).send({ message: 'Entrega reagendada' });
      },
    );

    app.post(
      '/webhooks/:id/replay',
      {
        config,
        schema: {
          tags,
          summary: 'Deliver again every matching event since `from` (same webhook-id as before)',
          params: webhookIdParams,
          body: replayBody,
          response: { 202: acceptedReply.extend({ deliveries: z.number().int() }), ...notFoundErrors },
        },
      },
      async (request, reply) => {
        const webhook = await ownWebhook(request.claims.companyId, request.params.id);
        const queued = await deliveries.replay(webhook.id, new Date(request.body.from), services.retryHours);
        services.changed();
        return reply.status(202).send({ message: 'Reenvio agendado', deliveries: queued });
      },
    );

    return Promise.resolve();
  };

function toReply(webhook: Webhook) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    sessionId: webhook.sessionId,
    enabled: webhook.enabled,
    createdAt: webhook.createdAt.toISOString(),
  };
}
