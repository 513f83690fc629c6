import type { RecordedEvent } from '../adapters/event-store/port.js';
import { applyOptimistically, saveCheckpoints } from './apply-batch.js';
import { parseOnce } from './parse-once.js';
import { isProjectedStream } from './projected-event.js';
import { ProjectionFailedError } from './projection-errors.js';
import type { Projector, ReadModelWriter } from './projector.js';

/**
 * Projects events inside the transaction that appends them (inline projection, as Emmett's and Marten's): the
 * read models and each projection's checkpoint commit with the events, so a reply to a command implies that
 * every reader on every process sees its effects. The same projectors run in catch-up and rebuild.
 * A projector that fails makes the append fail: no event is stored that the read models cannot show.
 *
 * @example
 * const store = createPostgresEventStore(database, { hooks: { withinTransaction: inlineProjection(allProjectors) } });
 */
export function inlineProjection(projectors: readonly Projector[]) {
  return async (trx: ReadModelWriter, events: readonly RecordedEvent[]): Promise<void> => {
    const projected = events.filter((event) => isProjectedStream(event.streamName));
    if (projected.length === 0) return;
    const parse = parseOnce();
    for (const projector of projectors) {
      const parsed = parse(projector, projected);
      try {
        await applyOptimistically(trx, projector, parsed);
      } catch (error) {
        // With one event the culprit is known; a group that fails is retried append by append, naming it then.
        throw projected.length === 1 && !(error instanceof ProjectionFailedError)
          ? new ProjectionFailedError(projector.name, projected[0]!, error)
          : error;
      }
    }
    const last = projected.at(-1)!.checkpoint;
    await saveCheckpoints(
      trx,
      projectors.map((projector) => ({ name: projector.name, checkpoint: last, events: projected.length })),
    );
  };
}
