import type { CommandHandler } from './command-handler.js';

export interface ProjectionProgress {
  waitFor(checkpoint: string, timeoutMs: number): Promise<boolean>;
}

/**
 * A command handler whose commands answer only once the read models show what they recorded, up to
 * `timeoutMs`: for a store whose projections follow by subscription (EventStoreDB), so that a reply still means
 * every later read shows it. On PostgreSQL projections are inline and this is not needed.
 */
export function waitingForProjections(
  handle: CommandHandler,
  projections: ProjectionProgress,
  timeoutMs: number,
  onTimeout: (checkpoint: string) => void,
): CommandHandler {
  const waiting = (async (streamType, streamName, command, context) => {
    const handled = await handle(streamType, streamName, command, context);
    if (handled.checkpoint !== undefined && !(await projections.waitFor(handled.checkpoint, timeoutMs)))
      onTimeout(handled.checkpoint);
    return handled;
  }) as CommandHandler;
  waiting.load = (streamType, streamName) => handle.load(streamType, streamName);
  return waiting;
}
