import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { countProjectedEventsAfter } from './events-after.js';
import { projectedStreamPrefixes } from './projected-event.js';
import type { Projector } from './projector.js';

/** Most events `status` counts behind a projection. */
export const lagCap = 10_000;

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

/** A projection's health at a glance, in constant time whatever the history's length (the readiness probe). */
export interface ProjectionHealth {
  name: string;
  /**
   * `inline`: written in the append's transaction (PostgreSQL); `elsewhere`: run by another process of the
   * cluster (a singleton runner not running here); else the runner's state here.
   */
  state: 'inline' | 'elsewhere' | 'running' | 'stopped' | 'failed';
  /** Whether its checkpoint has reached the last event committed. */
  caughtUp: boolean;
  /** The last event it applied (null before the first). */
  checkpoint: string | null;
  lastError: string | null;
}

/** What the states are read from: the runner's checkpoints table, and the projections running here. */
export interface RunnerView {
  db: Kysely<ReadModelSchema>;
  schema: string;
  store: EventStore;
  projectors: readonly Projector[];
  running: ReadonlyMap<string, { checkpoint: string | null; failed: boolean }>;
  options: { inline?: boolean; singleton?: boolean };
}

/** Each projection's state, checkpoint, events applied, lag (counted up to `lagCap`) and last error. */
export async function projectionStatuses(view: RunnerView): Promise<ProjectionStatus[]> {
  const { db, schema, store, projectors, running } = view;
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
}

/** Each projection's state and whether it has caught up: two queries, whatever the history's length. */
export async function projectionHealth(view: RunnerView): Promise<ProjectionHealth[]> {
  const { db, schema, store, projectors, running, options } = view;
  // The head first, then the checkpoints: read the other way round (or at once), an append committed in
  // between would show a projection that is up to date (inline, always) as behind.
  const head = await store.headCheckpoint(projectedStreamPrefixes);
  const rows = await db.withSchema(schema).selectFrom('projection_checkpoints').selectAll().execute();
  return projectors.map((projector): ProjectionHealth => {
    const row = rows.find((r) => r.name === projector.name);
    const entry = running.get(projector.name);
    const checkpoint = entry?.checkpoint ?? row?.checkpoint ?? null;
    const failed = entry ? entry.failed : Boolean(row?.last_error);
    return {
      name: projector.name,
      state: failed
        ? 'failed'
        : entry
          ? 'running'
          : options.inline
            ? 'inline'
            : options.singleton
              ? 'elsewhere'
              : 'stopped',
      caughtUp: head === null || (checkpoint !== null && store.compareCheckpoints(checkpoint, head) >= 0),
      checkpoint,
      lastError: row?.last_error ?? null,
    };
  });
}
