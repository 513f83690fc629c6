import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { RecordedEvent } from '../adapters/event-store/port.js';
import { toProjectedEvent, type ProjectedEvent } from './projected-event.js';
import { ProjectionFailedError } from './projection-errors.js';
import type { Projector, ReadModelWriter } from './projector.js';

/**
 * Applies a batch and moves the checkpoint in one transaction: after a crash the rows and the checkpoint agree.
 * If one event fails, the events before it are committed on their own, so the checkpoint ends right before the
 * event that failed, and the error names it.
 */
export async function applyBatch(
  db: Kysely<ReadModelSchema>,
  schema: string,
  projector: Projector,
  events: readonly RecordedEvent[],
): Promise<void> {
  try {
    await readModelTransaction(db, (trx) => applyInTransaction(trx, schema, projector, events));
  } catch (error) {
    const failedAt =
      error instanceof ProjectionFailedError ? events.findIndex((e) => e.id === error.eventId) : -1;
    if (failedAt > 0) {
      await readModelTransaction(db, (trx) =>
        applyInTransaction(trx, schema, projector, events.slice(0, failedAt)),
      );
    }
    throw error;
  }
}

/**
 * A transaction for read-model writes whose commit does not wait for the disk. If the database crashed right
 * after it, the rows and the checkpoint would be lost together and the events applied again from the store,
 * which stays fully durable; meanwhile no batch pays for a flush to disk.
 */
export function readModelTransaction<T>(
  db: Kysely<ReadModelSchema>,
  work: (trx: Transaction<ReadModelSchema>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    return work(trx);
  });
}

/** Parses an event for a projector, naming the projector and the event if it does not match its schema. */
export function parseFor(projector: Projector) {
  return (event: RecordedEvent): ProjectedEvent => {
    try {
      return toProjectedEvent(event);
    } catch (error) {
      throw new ProjectionFailedError(projector.name, event, error);
    }
  };
}

/** Applies events and moves the projection's checkpoint within a transaction the caller owns. */
export async function applyInTransaction(
  trx: Transaction<ReadModelSchema>,
  schema: string,
  projector: Projector,
  events: readonly RecordedEvent[],
): Promise<void> {
  await applyParsedInTransaction(trx, schema, projector, events, events.map(parseFor(projector)));
}

/** The same, with the events already parsed (a rebuild parses each page once for all projectors). */
export async function applyParsedInTransaction(
  trx: Transaction<ReadModelSchema>,
  schema: string,
  projector: Projector,
  events: readonly RecordedEvent[],
  parsed: readonly ProjectedEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const target = trx.withSchema(schema);
  if (parsed.length === 1 || !(await appliedAtOnce(trx, target, projector, parsed))) {
    // Event by event, to name the one that fails.
    for (const [index, event] of parsed.entries()) {
      try {
        await projector.project(target, [event]);
      } catch (error) {
        throw new ProjectionFailedError(projector.name, events[index]!, error);
      }
    }
  }
  await saveCheckpoints(target, [
    { name: projector.name, checkpoint: events.at(-1)!.checkpoint, events: events.length },
  ]);
}

/**
 * Applies parsed events in the fastest way the projector has, and lets a failure through: the caller's
 * transaction then fails as a whole, and the caller applies each projection alone to name the failing event.
 */
export async function applyOptimistically(
  target: ReadModelWriter,
  projector: Projector,
  parsed: readonly ProjectedEvent[],
): Promise<void> {
  await projector.project(target, parsed);
}

/**
 * Moves projections' checkpoints forward (one statement for all of them) and clears their last error. A
 * checkpoint never moves back: inline transactions commit in another order than they began, and two processes
 * may project the same events.
 */
export async function saveCheckpoints(
  target: ReadModelWriter,
  moved: readonly { name: string; checkpoint: string; events: number }[],
): Promise<void> {
  if (moved.length === 0) return;
  await target
    .insertInto('projection_checkpoints')
    .values(
      moved.map(({ name, checkpoint, events }) => ({ name, checkpoint, events_applied: String(events) })),
    )
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        checkpoint: sql<string>`case when ${eb.ref('projection_checkpoints.checkpoint')} is null
          or ${checkpointOrder(eb.ref('excluded.checkpoint'))} > ${checkpointOrder(eb.ref('projection_checkpoints.checkpoint'))}
          then ${eb.ref('excluded.checkpoint')} else ${eb.ref('projection_checkpoints.checkpoint')} end`,
        events_applied: sql`${eb.ref('projection_checkpoints.events_applied')} + ${eb.ref('excluded.events_applied')}`,
        last_error: null,
        last_error_at: null,
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

/**
 * A checkpoint as numbers that order like the store's positions: PostgreSQL's `<xid>:<position>` and
 * EventStoreDB's `<commit>/<prepare>` alike.
 */
function checkpointOrder(checkpoint: Expression<string | null>) {
  return sql`string_to_array(translate(${checkpoint}, '/', ':'), ':')::numeric[]`;
}

/**
 * Tries the batch at once behind a savepoint. If it fails, its writes are undone and false tells the caller to
 * apply the events one by one, which names the event that fails.
 */
async function appliedAtOnce(
  trx: Transaction<ReadModelSchema>,
  target: ReadModelWriter,
  projector: Projector,
  parsed: readonly ProjectedEvent[],
): Promise<boolean> {
  await sql`savepoint zl_batch`.execute(trx);
  try {
    await projector.project(target, parsed);
    await sql`release savepoint zl_batch`.execute(trx);
    return true;
  } catch {
    await sql`rollback to savepoint zl_batch`.execute(trx);
    return false;
  }
}
