import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';

export interface SharedCheckpointOptions {
  db: Kysely<ReadModelSchema>;
  schema: string;
  names: readonly string[];
  compare: (a: string, b: string) => number;
}

const firstPollMs = 5;
const mostPollMs = 50;

/**
 * Whether the projections, wherever they run in the cluster, have reached `target`: read from the checkpoints
 * they keep in the database (a projection that failed counts as reached: it will not move until repaired).
 */
export async function sharedCheckpointsReached(
  options: SharedCheckpointOptions,
  target: string | null,
): Promise<boolean> {
  if (target === null) return true;
  const rows = await options.db
    .withSchema(options.schema)
    .selectFrom('projection_checkpoints')
    .select(['name', 'checkpoint', 'last_error'])
    .where('name', 'in', [...options.names])
    .execute();
  return options.names.every((name) => {
    const row = rows.find((r) => r.name === name);
    if (row?.last_error) return true;
    return !!row?.checkpoint && options.compare(row.checkpoint, target) >= 0;
  });
}

/**
 * Polls the shared checkpoints until they reach `target` (true) or `deadline` passes (false), quickly at first
 * (a caught-up runner elsewhere applies a command's events within milliseconds), then less often.
 */
export async function waitForSharedCheckpoints(
  options: SharedCheckpointOptions,
  target: string | null,
  deadline: number,
): Promise<boolean> {
  for (let pause = firstPollMs; ; pause = Math.min(mostPollMs, pause * 2)) {
    if (await sharedCheckpointsReached(options, target)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, pause)));
  }
}
