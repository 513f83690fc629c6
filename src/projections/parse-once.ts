import type { RecordedEvent } from '../adapters/event-store/port.js';
import { toProjectedEvent, type ProjectedEvent } from './projected-event.js';
import { ProjectionFailedError } from './projection-errors.js';
import type { Projector } from './projector.js';

/** Parses each event of a batch once, for all projections; a parse failure is named for the projection at hand. */
export function parseOnce() {
  const parsed = new Map<string, ProjectedEvent | { failure: unknown }>();
  return (projector: Projector, events: readonly RecordedEvent[]): ProjectedEvent[] =>
    events.map((event) => {
      let result = parsed.get(event.id);
      if (!result) {
        try {
          result = toProjectedEvent(event);
        } catch (failure) {
          result = { failure };
        }
        parsed.set(event.id, result);
      }
      if ('failure' in result) throw new ProjectionFailedError(projector.name, event, result.failure);
      return result;
    });
}
