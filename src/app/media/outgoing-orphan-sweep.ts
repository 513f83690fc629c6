import type { Logger } from '../../logger.js';

export interface OutgoingOrphanSweepOptions {
  /** Deletes the files saved before then that no message refers to; answers how many. */
  deleteOrphans: (savedBefore: Date) => Promise<number>;
  /** MEDIA_ORPHAN_GRACE_MS. */
  graceMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Deletes send-media files no message refers to. send-media saves its file, then records the send, which refers to
 * it; a process killed between the two leaves the file behind (a refused send removes its own at once). The grace
 * period is far longer than a request takes, and a replayed request renews its file's save time, so a file whose
 * send is still being recorded is never taken.
 */
export function createOutgoingOrphanSweep(options: OutgoingOrphanSweepOptions) {
  const now = options.now ?? Date.now;
  return {
    async sweep(): Promise<{ deleted: number }> {
      const deleted = await options.deleteOrphans(new Date(now() - options.graceMs));
      if (deleted)
        options.logger.info(
          { deleted },
          'Deleted send-media files no message refers to (MEDIA_ORPHAN_GRACE_MS)',
        );
      return { deleted };
    },
  };
}
