import type { Projector, ReadModelWriter } from '../projector.js';
import type { ChatErasedEvent } from './chat-erasure.js';

/**
 * The projector, which also scrubs its tables when a chat is erased: the events before a ChatErased are
 * projected, then the erasure applied, then the rest; a batch without one goes through as it is. Live, in
 * catch-up and in a rebuild alike, so a rebuild keeps an erased chat erased.
 */
export function withChatErasure(
  projector: Projector,
  erase: (db: ReadModelWriter, event: ChatErasedEvent) => Promise<void>,
): Projector {
  return {
    ...projector,
    async project(db, events) {
      let start = 0;
      for (const [index, event] of events.entries()) {
        if (event.type !== 'ChatErased') continue;
        if (index > start) await projector.project(db, events.slice(start, index));
        await erase(db, event);
        start = index + 1;
      }
      if (start === 0) return projector.project(db, events);
      if (start < events.length) await projector.project(db, events.slice(start));
    },
  };
}
