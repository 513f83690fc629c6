import { migrateToLatest } from '../adapters/db/migrate.js';
import { openDatabase } from '../adapters/db/open-database.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { webhookFanOut } from '../adapters/db/webhooks/webhook-fan-out.js';
import { openEventStore } from '../adapters/event-store/open-event-store.js';
import { openPrivacy } from '../adapters/privacy/open-privacy.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { webhookFrameOf } from '../api/webhook-frame-data.js';
import { createCommittedEvents } from '../app/committed-events.js';
import { countedAppends } from '../app/counted-appends.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { allProjectors } from '../projections/all-projectors.js';
import { inlineProjection } from '../projections/inline-projection.js';
import { webhookLeaseMs } from './webhooks.js';

/**
 * The database (migrated) and the event store. On PostgreSQL the read models are written, and webhook
 * deliveries queued, in the transaction of the events they come from (DESIGN.md, "Consistency"); EventStoreDB has
 * no such transaction, so there the projections and the deliveries follow by subscription (`inline` false).
 * What an append stored is handed to `committed` right after its commit.
 */
export async function openEventStorage(config: Config, logger: Logger, metrics: PrometheusMetrics) {
  const database = await openDatabase(config);
  await migrateToLatest(database.db);
  const db = readModelDb(database.db);
  const committed = createCommittedEvents(logger);
  const projectInline = inlineProjection(allProjectors);
  const inline = config.EVENT_STORE !== 'eventstoredb';
  const fanOut = webhookFanOut(webhookFrameOf, {
    retryHours: config.WEBHOOK_RETRY_HOURS,
    leaseMs: webhookLeaseMs(config),
  });
  // Personal fields are sealed as they are stored and opened as they are read (README, "Privacy").
  const privacy = await openPrivacy(database, config.DATA_KEY).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const store = countedAppends(
    privacy.sealing.wrap(
      await openEventStore(config, database, {
        onTransientError: (error) => logger.warn({ err: error }, 'Event store read failed; retrying'),
        hooks: privacy.sealing.hooks({
          withinTransaction: async (trx, events) => {
            await projectInline(readModelDb(trx), events);
            await fanOut(readModelDb(trx), events, { claim: true });
          },
          afterCommit: (events) => {
            fanOut.firstAttempts.committed(events);
            committed.publish(events);
          },
        }),
      }),
    ),
    (count) => metrics.eventsAppended(count),
  );
  return { database, db, committed, inline, fanOut, store, privacy };
}

export type EventStorage = Awaited<ReturnType<typeof openEventStorage>>;
