import type { EventStore } from '../adapters/event-store/port.js';

/** The store, counting the events each append newly stored (whichever store it is). */
export function countedAppends(store: EventStore, onAppended: (count: number) => void): EventStore {
  return {
    ...store,
    async append(streamName, events, expected) {
      const result = await store.append(streamName, events, expected);
      if (result.appended > 0) onAppended(result.appended);
      return result;
    },
  };
}
