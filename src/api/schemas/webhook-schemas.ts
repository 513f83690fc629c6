import { z } from 'zod';
import { webhookUrlProblem } from '../../domain/webhooks/webhook-url.js';
import { InvalidWebhookSecretError, webhookSigningKey } from '../../domain/webhooks/webhook-signature.js';
import { eventFrameTypes } from '../ws/event-frames.js';

/** The event names a webhook may ask for: every WebSocket frame type that tells of an event, or `*`. */
export const webhookEventNames = [...eventFrameTypes, '*'] as const;

const url = z.string().superRefine((value, ctx) => {
  const problem = webhookUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const events = z
  .array(z.string())
  .min(1, `must name at least one event: ${webhookEventNames.join(', ')}`)
  .superRefine((names, ctx) => {
    const unknown = names.filter((name) => !(webhookEventNames as readonly string[]).includes(name));
    if (unknown.length)
      ctx.addIssue({
        code: 'custom',
        message: `unknown event(s) ${unknown.join(', ')}; valid: ${webhookEventNames.join(', ')}`,
      });
  })
  .transform((names) => [...new Set(names)]);

const secret = z.string().superRefine((value, ctx) => {
  try {
    webhookSigningKey(value);
  } catch (error) {
    if (!(error instanceof InvalidWebhookSecretError)) throw error;
    ctx.addIssue({ code: 'custom', message: 'must be whsec_ followed by base64 of 24 to 64 bytes' });
  }
});

export const createWebhookBody = z
  .object({
    url,
    events,
    sessionId: z.uuid({ message: 'must be a session id (UUID)' }).optional(),
    secret: secret.optional(),
  })
  .strict();

export const updateWebhookBody = z
  .object({ url: url.optional(), events: events.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'nothing to update: give url, events or enabled',
  });

export const webhookIdParams = z.object({ id: z.uuid({ message: 'must be a webhook id (UUID)' }) }).strict();

export const deliveryParams = z
  .object({
    id: z.uuid({ message: 'must be a webhook id (UUID)' }),
    deliveryId: z.string().regex(/^\d{1,18}$/, 'must be a delivery id'),
  })
  .strict();

export const deliveriesQuery = z
  .object({
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const replayBody = z.object({ from: z.iso.datetime({ offset: true }) }).strict();

export const webhookReply = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  sessionId: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
});

export const createdWebhookReply = webhookReply.extend({
  secret: z.string().describe('Shown only in this reply: keep it to verify signatures'),
});

export const deliveriesReply = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      eventId: z.string(),
      type: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      lastStatusCode: z.number().int().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      correlationId: z.string().nullable(),
    }),
  ),
});

export const acceptedReply = z.object({ message: z.string() });
