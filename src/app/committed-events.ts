import type { RecordedEvent } from '../adapters/event-store/port.js';
import type { Logger } from '../logger.js';

export type CommittedEventsListener = (events: readonly RecordedEvent[]) => void;

/**
 * The events this process stored, handed from the append's result to whoever acts on them in this process (the
 * relay, the send outcomes), right after their transaction committed: nothing is read back from the store.
 * Events other processes stored arrive through the bus; what a crash kept from being handed over, through the
 * relay's catch-up from the store.
 */
export function createCommittedEvents(logger: Logger) {
  const listeners = new Set<CommittedEventsListener>();
  return {
    listen(listener: CommittedEventsListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(events: readonly RecordedEvent[]): void {
      for (const listener of listeners) {
        try {
          listener(events);
        } catch (error) {
          logger.error({ err: error }, 'A listener of committed events failed');
        }
      }
    },
  };
}

export type CommittedEvents = ReturnType<typeof createCommittedEvents>;
