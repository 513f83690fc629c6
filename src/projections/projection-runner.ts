import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore, RecordedEvent, Subscription } from '../adapters/event-store/port.js';
import { isTransientDatabaseError } from '../adapters/db/transient-database-error.js';
import { silentLogger, type Logger } from '../logger.js';
import { applyBatch, applyOptimistically, readModelTransaction, saveCheckpoints } from './apply-batch.js';
import { parseOnce } from './parse-once.js';
import { projectedStreamPrefixes } from './projected-event.js';
import { ProjectionFailedError } from './projection-errors.js';
import type { Projector } from './projector.js';
import { waitForSharedCheckpoints } from './shared-checkpoints.js';
import {
  projectionHealth,
  projectionStatuses,
  type ProjectionHealth,
  type ProjectionStatus,
  type RunnerView,
} from './projection-states.js';

export type { ProjectionHealth, ProjectionStatus } from './projection-states.js';

export interface ProjectionRunnerOptions {
  db: Kysely<ReadModelSchema>;
  store: EventStore;
  projectors: readonly Projector[];
  /** The schema holding the tables: `public` for the live read models, another for a rebuild. */
  schema?: string;
  maxBatchSize?: number;
  logger?: Logger;
  /** The projections are written inline by the store's appends; the runner only catches up and rebuilds. */
  inline?: boolean;
  /**
   * The runner runs in one process of the cluster at a time: while it is not started here, waits follow the
   * checkpoints the running one keeps in the database.
   */
  singleton?: boolean;
}

export interface ProjectionRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ProjectionStatus[]>;
  /** Each projection's state and whether it has caught up: two queries, whatever the history's length. */
  health(): Promise<ProjectionHealth[]>;
  /**
   * Resolves true once every running projection (here, or where it runs in the cluster) has applied all events
   * committed so far; false if that takes longer than `timeoutMs` (default: no limit).
   */
  waitUntilCaughtUp(timeoutMs?: number): Promise<boolean>;
  /**
   * Resolves true once every running projection has applied the events up to `checkpoint`, false if that takes
   * longer than `timeoutMs`.
   */
  waitFor(checkpoint: string, timeoutMs: number): Promise<boolean>;
}

const maxRetryDelayMs = 5000;
const maxResubscribeDelayMs = 30_000;

/**
 * Keeps each read model up to date from one subscription, which starts at the oldest checkpoint among them:
 * each batch is read and parsed once, and every projection applies the events it has not seen yet, all in one
 * transaction with their checkpoints. If that transaction fails, each projection applies the batch alone: one
 * that fails stops (its error is logged and kept in projection_checkpoints, its rows and checkpoint end right
 * before the failing event); the others go on.
 */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { db, store, projectors } = options;
  const schema = options.schema ?? 'public';
  const logger = options.logger ?? silentLogger;
  const running = new Map<string, { projector: Projector; checkpoint: string | null; failed: boolean }>();
  let subscription: Subscription | undefined;
  let active = false;
  let subscriptionFailures = 0;
  const applied = new Set<() => void>();
  const shared = {
    db,
    schema,
    names: projectors.map((p) => p.name),
    compare: (a: string, b: string) => store.compareCheckpoints(a, b),
  };
  const elsewhere = () => options.singleton === true && !active;
  const view = (): RunnerView => ({ db, schema, store, projectors, running, options });

  const unseenBy = (checkpoint: string | null, events: readonly RecordedEvent[]) =>
    checkpoint === null
      ? events
      : events.filter((e) => store.compareCheckpoints(e.checkpoint, checkpoint) > 0);

  // A passing database error (a restart, a failover, a dropped connection) is waited out and the batch applied
  // again; only an event a projection cannot apply stops that projection.
  async function handle(events: readonly RecordedEvent[]): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        await applyToAll(events);
        break;
      } catch (error) {
        if (!isTransientDatabaseError(error) || !active) throw error;
        const delayMs = Math.min(maxRetryDelayMs, 100 * 2 ** failures);
        logger.warn({ err: error, failures: failures + 1, delayMs }, 'Projection batch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    subscriptionFailures = 0;
    for (const notify of applied) notify();
  }

  async function applyToAll(events: readonly RecordedEvent[]): Promise<void> {
    const parse = parseOnce();
    const work = [...running.values()]
      .filter((entry) => !entry.failed)
      .map((entry) => ({ entry, unseen: unseenBy(entry.checkpoint, events) }))
      .filter(({ unseen }) => unseen.length > 0);
    try {
      await readModelTransaction(db, async (trx) => {
        const target = trx.withSchema(schema);
        for (const { entry, unseen } of work)
          await applyOptimistically(target, entry.projector, parse(entry.projector, unseen));
        await saveCheckpoints(
          target,
          work.map(({ entry, unseen }) => ({
            name: entry.projector.name,
            checkpoint: unseen.at(-1)!.checkpoint,
            events: unseen.length,
          })),
        );
      });
      for (const { entry, unseen } of work) entry.checkpoint = unseen.at(-1)!.checkpoint;
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      logger.warn({ err: error }, 'A projection batch failed; applying it to each projection alone');
      // Each alone, in its own transactions: the others go on, and the one that fails keeps what came before
      // the failing event, names it and stops.
      for (const { entry, unseen } of work) {
        await applyBatch(db, schema, entry.projector, unseen).then(
          () => (entry.checkpoint = unseen.at(-1)!.checkpoint),
          async (aloneError: unknown) => {
            if (isTransientDatabaseError(aloneError)) throw aloneError;
            await stopOne(entry, aloneError);
          },
        );
      }
    }
  }

  /** The checkpoint to read from: the oldest, or none (the beginning) if any projection has none. */
  function oldest(checkpoints: readonly (string | null)[]): string | null {
    if (checkpoints.length === 0 || checkpoints.includes(null)) return null;
    return (checkpoints as string[]).reduce((a, b) => (store.compareCheckpoints(a, b) <= 0 ? a : b));
  }

  async function stopOne(entry: { projector: Projector; failed: boolean }, error: unknown): Promise<void> {
    const name = entry.projector.name;
    entry.failed = true;
    logger.error({ err: error, projection: name }, `Projection ${name} stopped`);
    await recordFailure(name, error).catch((recordError: unknown) =>
      logger.error({ err: recordError, projection: name }, 'Could not record the projection failure'),
    );
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

  // Caught up once every running projection's checkpoint reached the head committed when the wait began: an
  // empty settled read is not enough, since on PostgreSQL a transaction still running elsewhere on the server
  // holds back events that are committed already.
  /** Resolves when the next batch is applied, or after `ms`. */
  function nextBatchOrAfter(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        applied.delete(done);
        resolve();
      }
      applied.add(done);
    });
  }

  /**
   * Follows the store from the oldest checkpoint. A subscription that ends (the store restarted, its leader
   * changed) is taken up again from where the projections are, after a pause that grows with each failure in a
   * row: the projections do not stop for it.
   */
  function subscribeFromCheckpoints(): void {
    const from = oldest([...running.values()].map((entry) => entry.checkpoint));
    const current = store.subscribe({
      ...(from ? { from } : {}),
      filter: { streamPrefixes: projectedStreamPrefixes },
      ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
      handle,
    });
    subscription = current;
    current.done.catch((error: unknown) => {
      if (!active || subscription !== current) return;
      const delayMs = Math.min(maxResubscribeDelayMs, 500 * 2 ** subscriptionFailures++);
      logger.error({ err: error, delayMs }, 'The projections’ subscription ended; subscribing again');
      setTimeout(() => {
        if (active && subscription === current) subscribeFromCheckpoints();
      }, delayMs).unref();
    });
  }

  function caughtUpWith(head: string | null): boolean {
    if (head === null) return true;
    return [...running.values()].every(
      (entry) =>
        entry.failed || (entry.checkpoint !== null && store.compareCheckpoints(entry.checkpoint, head) >= 0),
    );
  }

  return {
    async start() {
      if (active) return;
      active = true;
      const rows = await db
        .withSchema(schema)
        .selectFrom('projection_checkpoints')
        .select(['name', 'checkpoint'])
        .execute();
      for (const projector of projectors) {
        const checkpoint = rows.find((row) => row.name === projector.name)?.checkpoint ?? null;
        running.set(projector.name, { projector, checkpoint, failed: false });
      }
      subscribeFromCheckpoints();
    },

    async stop() {
      active = false;
      const ending = subscription;
      subscription = undefined;
      await ending?.stop();
      running.clear();
    },

    status: () => projectionStatuses(view()),

    health: () => projectionHealth(view()),

    async waitFor(checkpoint, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Checked on each turn: a runner that stops here (its singleton lease lost) hands the wait to the shared
      // checkpoints, instead of counting as caught up.
      for (;;) {
        if (elsewhere()) return waitForSharedCheckpoints(shared, checkpoint, deadline);
        if (caughtUpWith(checkpoint)) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await nextBatchOrAfter(Math.min(left, 100));
      }
    },

    async waitUntilCaughtUp(timeoutMs = Number.POSITIVE_INFINITY) {
      const deadline = Date.now() + timeoutMs;
      const head = await store.headCheckpoint(projectedStreamPrefixes);
      for (;;) {
        if (elsewhere()) {
          if (await waitForSharedCheckpoints(shared, head, Math.min(deadline, Date.now() + 1000)))
            return true;
        } else if (caughtUpWith(head)) return true;
        else await nextBatchOrAfter(100);
        if (Date.now() > deadline) return false;
      }
    },
  };
}
