import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore, Subscription } from '../adapters/event-store/port.js';
import { silentLogger, type Logger } from '../logger.js';
import { applyBatch } from './apply-batch.js';
import { countProjectedEventsAfter } from './events-after.js';
import { projectedStreamPrefixes } from './projected-event.js';
import { ProjectionFailedError } from './projection-errors.js';
import type { Projector } from './projector.js';

export interface ProjectionStatus {
  name: string;
  state: 'running' | 'stopped' | 'failed';
  checkpoint: string | null;
  eventsApplied: number;
  /** Read-model events not yet applied, counted up to `lagCap`. */
  lag: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface ProjectionRunnerOptions {
  db: Kysely<ReadModelSchema>;
  store: EventStore;
  projectors: readonly Projector[];
  /** The schema holding the tables: `public` for the live read models, another for a rebuild. */
  schema?: string;
  maxBatchSize?: number;
  logger?: Logger;
}

export interface ProjectionRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ProjectionStatus[]>;
  /** Resolves once every running projection has applied all events stored so far. */
  waitUntilCaughtUp(): Promise<void>;
}

export const lagCap = 10_000;

/**
 * Keeps each read model up to date: one subscription per projector, from its own checkpoint, applying batches
 * of events in transactions that also store the checkpoint. A projector that fails stops (its error is logged
 * and kept in projection_checkpoints); the others go on.
 */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { db, store, projectors } = options;
  const schema = options.schema ?? 'public';
  const logger = options.logger ?? silentLogger;
  const running = new Map<
    string,
    { subscription: Subscription; checkpoint: string | null; failed: boolean }
  >();
  const applied = new Set<() => void>();

  async function startOne(projector: Projector): Promise<void> {
    const row = await db
      .withSchema(schema)
      .selectFrom('projection_checkpoints')
      .select('checkpoint')
      .where('name', '=', projector.name)
      .executeTakeFirst();
    const entry = {
      checkpoint: row?.checkpoint ?? null,
      failed: false,
      subscription: undefined as unknown as Subscription,
    };
    entry.subscription = store.subscribe({
      ...(entry.checkpoint ? { from: entry.checkpoint } : {}),
      filter: { streamPrefixes: projectedStreamPrefixes },
      ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
      handle: async (events) => {
        await applyBatch(db, schema, projector, events);
        entry.checkpoint = events.at(-1)!.checkpoint;
        for (const notify of applied) notify();
      },
    });
    entry.subscription.done.catch(async (error: unknown) => {
      entry.failed = true;
      logger.error({ err: error, projection: projector.name }, `Projection ${projector.name} stopped`);
      await recordFailure(projector.name, error).catch((recordError: unknown) =>
        logger.error(
          { err: recordError, projection: projector.name },
          'Could not record the projection failure',
        ),
      );
      for (const notify of applied) notify();
    });
    running.set(projector.name, entry);
  }

  async function recordFailure(name: string, error: unknown): Promise<void> {
    const message =
      error instanceof ProjectionFailedError || error instanceof Error ? error.message : String(error);
    await db
      .withSchema(schema)
      .insertInto('projection_checkpoints')
      .values({ name, checkpoint: null, last_error: message, last_error_at: new Date() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_error: message, last_error_at: new Date() }))
      .execute();
  }

  async function caughtUp(): Promise<boolean> {
    for (const entry of running.values()) {
      if (entry.failed) continue;
      if ((await countProjectedEventsAfter(store, entry.checkpoint, 1)) > 0) return false;
    }
    return true;
  }

  return {
    async start() {
      for (const projector of projectors) if (!running.has(projector.name)) await startOne(projector);
    },

    async stop() {
      await Promise.all([...running.values()].map((entry) => entry.subscription.stop()));
      running.clear();
    },

    async status() {
      const rows = await db.withSchema(schema).selectFrom('projection_checkpoints').selectAll().execute();
      return Promise.all(
        projectors.map(async (projector) => {
          const row = rows.find((r) => r.name === projector.name);
          const entry = running.get(projector.name);
          const checkpoint = row?.checkpoint ?? null;
          return {
            name: projector.name,
            state: entry ? (entry.failed ? 'failed' : 'running') : row?.last_error ? 'failed' : 'stopped',
            checkpoint,
            eventsApplied: Number(row?.events_applied ?? 0),
            lag: await countProjectedEventsAfter(store, checkpoint, lagCap),
            lastError: row?.last_error ?? null,
            lastErrorAt: row?.last_error_at ?? null,
          } satisfies ProjectionStatus;
        }),
      );
    },

    async waitUntilCaughtUp() {
      while (!(await caughtUp())) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 100);
          function done() {
            clearTimeout(timer);
            applied.delete(done);
            resolve();
          }
          applied.add(done);
        });
      }
    },
  };
}
