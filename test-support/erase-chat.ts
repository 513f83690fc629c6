import { randomUUID } from 'node:crypto';
import type { EventStore } from '../src/adapters/event-store/port.js';
import { chatStreamName } from '../src/domain/chat/chat-stream.js';

/** Appends a ChatErased to one chat, as the erasure of its contact does (src/app/privacy/erase-contact.ts). */
export async function eraseChat(
  store: EventStore,
  companyId: string,
  sessionId: string,
  chatJid: string,
): Promise<void> {
  const eventId = randomUUID();
  await store.append(
    chatStreamName(sessionId, chatJid),
    [
      {
        id: eventId,
        type: 'ChatErased',
        data: {},
        metadata: {
          eventId,
          companyId,
          sessionId,
          correlationId: randomUUID(),
          causationId: null,
          actor: { type: 'user', id: `admin-of-${companyId}` },
          recordedAt: new Date().toISOString(),
          schemaVersion: 1,
        },
      },
    ],
    'any',
  );
}
