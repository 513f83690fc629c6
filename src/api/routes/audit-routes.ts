import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JsonObject, RecordedEvent } from '../../adapters/event-store/port.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError } from '../http-errors.js';
import { sessionErrors, sessionIdParams } from '../schemas/common.js';

const auditQuery = z
  .object({
    after: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const auditEvent = z.object({
  position: z.string(),
  eventId: z.string(),
  type: z.string(),
  stream: z.string(),
  revision: z.string(),
  recordedAt: z.string(),
  actor: z.unknown(),
  correlationId: z.unknown(),
  causationId: z.unknown(),
  data: z.record(z.string(), z.unknown()),
});

/** Secrets and QR codes never leave history through the audit trail. */
const redactedFields = new Set(['tokenHash', 'qrCode']);
const maxScanned = 50_000;

/** Who did what and when: every event of a session and of its chats, in order, paged by position. */
export const auditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/audit/sessions/:id/events',
      {
        config: { access: 'audit', sessionParam: 'id' },
        schema: {
          tags: ['audit'],
          summary: 'Events of a session and its chats, in order; `next` is the `after` of the following page',
          params: sessionIdParams,
          querystring: auditQuery,
          response: {
            200: z.object({ events: z.array(auditEvent), next: z.string().nullable() }),
            ...sessionErrors,
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { limit } = request.query;
        const ofSession = (e: RecordedEvent) =>
          e.streamName === `session-${id}` || e.streamName.startsWith(`chat-${id}_`);
        const found: RecordedEvent[] = [];
        let from = request.query.after;
        let scanned = 0;
        let exhausted = false;
        while (found.length < limit && scanned < maxScanned) {
          const page = await deps.store
            .readAll({ ...(from === undefined ? {} : { from }), maxCount: 1000 })
            .catch((error: unknown) => {
              if (error instanceof Error && error.name === 'InvalidCheckpointError')
                throw new HttpError(400, 'after: posição inválida');
              throw error;
            });
          for (const event of page) {
            scanned += 1;
            from = event.checkpoint;
            if (ofSession(event)) found.push(event);
            if (found.length === limit) break;
          }
          if (page.length < 1000) {
            exhausted = found.length < limit;
            break;
          }
        }
        return { events: found.map(toAuditEvent), next: exhausted ? null : (from ?? null) };
      },
    );
    return Promise.resolve();
  };

function toAuditEvent(event: RecordedEvent) {
  const data: JsonObject = Object.fromEntries(
    Object.entries(event.data).filter(([key]) => !redactedFields.has(key)),
  );
  return {
    position: event.checkpoint,
    eventId: event.id,
    type: event.type,
    stream: event.streamName,
    revision: event.revision.toString(),
    recordedAt: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId ?? null,
    data,
  };
}
