import type { EventStore } from '../adapters/event-store/port.js';
import { countProjectedEventsAfter } from './events-after.js';
import type { ProjectionHealth } from './projection-runner.js';

/** A scrape reads at most one page of events per projection behind, however far behind it is. */
export const scrapedLagCap = 1000;

/**
 * Events each projection has not applied yet, counted up to `cap`: nothing is read for one that has caught up
 * (the usual case, and always so inline), so a scrape costs the runner's two health queries.
 */
export async function projectionLag(
  runner: { health(): Promise<ProjectionHealth[]> },
  store: EventStore,
  cap = scrapedLagCap,
): Promise<{ projection: string; lag: number }[]> {
  const health = await runner.health();
  return Promise.all(
    health.map(async ({ name, caughtUp, checkpoint }) => ({
      projection: name,
      lag: caughtUp ? 0 : await countProjectedEventsAfter(store, checkpoint, cap),
    })),
  );
}
