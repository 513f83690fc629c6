import type { EventStore } from '../adapters/event-store/port.js';
import { isProjectedStream as isProjected } from './projected-event.js';

/** How many read-model events follow a checkpoint, counting at most `cap` (the lag of a projection). */
export async function countProjectedEventsAfter(
  store: EventStore,
  checkpoint: string | null,
  cap: number,
): Promise<number> {
  let count = 0;
  let from = checkpoint ?? undefined;
  while (count < cap) {
    const page = await store.readAll({ ...(from === undefined ? {} : { from }), maxCount: 1000 });
    count += page.filter((event) => isProjected(event.streamName)).length;
    if (page.length < 1000) break;
    from = page.at(-1)!.checkpoint;
  }
  return Math.min(count, cap);
}
