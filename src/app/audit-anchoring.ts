import type { Logger } from '../logger.js';

export interface AnchoringOptions {
  /** Writes one anchor over what changed since the last; null when nothing did. */
  anchor: () => Promise<{ sequence: number; headCount: number } | null>;
  intervalMs: number;
  logger: Logger;
}

/**
 * Anchors history every `intervalMs` while started (in one process of the cluster: run it as a singleton), and
 * once more when stopped, so that a process leaving in good order leaves nothing it wrote unanchored. A failed
 * anchor is logged and tried again at the next tick: nothing is lost, the next anchor covers it.
 */
export function createAnchoring({ anchor, intervalMs, logger }: AnchoringOptions) {
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  const anchorNow = () => {
    turn = turn.then(async () => {
      try {
        const written = await anchor();
        if (written) logger.info(written, 'Anchored the history written since the previous anchor');
      } catch (error) {
        logger.error({ err: error }, 'Could not anchor history; trying again at the next interval');
      }
    });
    return turn;
  };

  return {
    start(): Promise<void> {
      timer = setInterval(() => void anchorNow(), intervalMs);
      timer.unref();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await anchorNow();
    },
  };
}
