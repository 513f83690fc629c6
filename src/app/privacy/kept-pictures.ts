import type { EventStore } from '../../adapters/event-store/port.js';
import { chatStreamName } from '../../domain/chat/chat-stream.js';

const page = 1000;

/**
 * Every profile picture recorded for the contact on its chat in these sessions (ContactPictureKept), the ones
 * it showed before its latest too: the read models hold only the latest, and the erasure must find them all.
 */
export async function picturesKeptOn(
  store: EventStore,
  sessions: readonly string[],
  chatJid: string,
): Promise<string[]> {
  const found = new Set<string>();
  for (const sessionId of sessions) {
    const stream = chatStreamName(sessionId, chatJid);
    for (let from = 0n; ;) {
      const events = await store.readStream(stream, { fromRevision: from, maxCount: page });
      for (const event of events)
        if (event.type === 'ContactPictureKept' && typeof event.data.sha256 === 'string')
          found.add(event.data.sha256);
      const last = events.at(-1);
      if (!last || events.length < page) break;
      from = last.revision + 1n;
    }
  }
  return [...found];
}
