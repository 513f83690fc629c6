import { EventStoreDBClient } from '@eventstore/db-client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { eventStoreDbSessionAuditPage } from '../../adapters/audit/eventstoredb-session-audit-page.js';
import { sessionAuditPage, type AuditedEvent } from '../../adapters/audit/session-audit-page.js';
import { encodeCheckpoint, startOfHistory } from '../../adapters/event-store/postgres/postgres-checkpoint.js';
import type { JsonObject } from '../../adapters/event-store/port.js';
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
  /** The event's chain hash (hex), null where the store keeps none. */
  hash: z.string().nullable(),
  /** Whether a signed anchor covers the event. */
  anchored: z.boolean(),
});

/** Secrets and QR codes never leave history through the audit trail. */
const redactedFields = new Set(['tokenHash', 'qrCode']);

/** Who did what and when: every event of a session and of its chats, in order, paged by position. */
export const auditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    // EventStoreDB's events are read raw: the hash is in the metadata the store hides from its readers.
    let esdb: EventStoreDBClient | undefined;
    const esdbClient = () => (esdb ??= EventStoreDBClient.connectionString(deps.config.EVENTSTORE_URL!));
    app.addHook('onClose', async () => {
      await esdb?.dispose();
    });
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
        const { limit, after } = request.query;
        const page =
          deps.config.EVENT_STORE === 'postgres'
            ? await sessionAuditPageOf(deps.db, {
                companyId: request.claims.companyId,
                sessionId: id,
                limit,
                ...(after === undefined ? {} : { after }),
              }).catch(invalidAfter)
            : await eventStoreDbSessionAuditPage(esdbClient(), deps.db, {
                companyId: request.claims.companyId,
                sessionId: id,
                limit,
                ...(after === undefined ? {} : { after }),
              }).catch(invalidAfter);
        // Shown as readers see them: personal fields opened, or erased (the hash covers them as stored).
        const opened = await (deps.privacy?.open(page.events.map((audited) => audited.event)) ?? []);
        return {
          events: page.events.map((audited, index) =>
            toAuditEvent({ ...audited, event: opened[index] ?? audited.event }),
          ),
          next: page.next,
        };
      },
    );
    return Promise.resolve();
  };

function invalidAfter(error: unknown): never {
  if (error instanceof Error && error.name === 'InvalidCheckpointError')
    throw new HttpError(400, 'after: posição inválida');
  throw error;
}

/**
 * The indexed page, `next` set when the page is full (more may follow): after its last event, or, if some event
 * of the page is not settled yet, after the last settled one before it (those after it come again on the next
 * page, so that a late commit is never skipped; clients tell them apart by `eventId`).
 */
async function sessionAuditPageOf<T>(db: Kysely<T>, query: Parameters<typeof sessionAuditPage>[1]) {
  const found = await sessionAuditPage(db, query);
  if (found.length < query.limit) return { events: found, next: null };
  const firstUnsettled = found.findIndex((audited) => !audited.settled);
  if (firstUnsettled === -1) return { events: found, next: found.at(-1)!.event.checkpoint };
  const lastSettled = found[firstUnsettled - 1];
  return {
    events: found,
    next: lastSettled ? lastSettled.event.checkpoint : (query.after ?? encodeCheckpoint(startOfHistory)),
  };
}

function toAuditEvent({ event, hash, anchored }: AuditedEvent) {
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
    hash,
    anchored,
  };
}
