import { randomUUID } from 'node:crypto';
import type { EventStore } from '../src/adapters/event-store/port.js';
import { chatStreamName } from '../src/domain/chat/chat-stream.js';
import { historyWriter, writeRealisticHistory } from './realistic-history.js';

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

/**
 * A contact who wrote in its one-to-one chat and in a group (the group's last message), erased, then writing
 * again in both (which stays): the history the replay and inline equivalence specs end with.
 */
export async function writeErasedContactHistory(store: EventStore): Promise<void> {
  const sessionId = await writeRealisticHistory(store, 'initech');
  const joao = '5511988887777@c.us';
  const group = '120363025246125486@g.us';
  const { chat, incoming } = historyWriter(store);
  // A day after the rest of the history: João's is the group's last message when he is erased.
  let time = Date.parse('2026-03-02T00:00:00Z') / 1000;
  const write = (chatJid: string, waMessageId: string, body: string) =>
    chat(
      'initech',
      sessionId,
      chatJid,
      {
        type: 'RecordIncomingMessage',
        message: incoming(chatJid, waMessageId, body, {
          from: joao,
          senderPhone: joao.slice(0, -'@c.us'.length),
          timestamp: (time += 60),
          ...(chatJid === group ? { chatName: 'Equipe' } : {}),
        }),
      },
      waMessageId,
    );
  await write(group, 'in-group-joao', 'Eu levo o bolo');
  await eraseChat(store, 'initech', sessionId, joao);
  await write(joao, 'in-joao-after', 'Voltei');
  await write(group, 'in-group-joao-after', 'Voltei ao grupo');
}
