import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, JsonObject } from '../../src/adapters/event-store/port.js';
import { whatsappFactEventId } from '../../src/domain/deterministic-id.js';

/**
 * Appends `total` realistic events: sessions that register, connect and receive messages in many chats, with
 * acks and reads among them. Chats get their events in chunks, as a busy gateway would write them.
 */
export async function writeSyntheticHistory(
  store: EventStore,
  total: number,
  sessions = 20,
  chatsPerSession = 50,
): Promise<number> {
  let written = 0;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const meta = (companyId: string, sessionId: string, eventId: string): JsonObject => ({
    eventId,
    companyId,
    sessionId,
    correlationId: randomUUID(),
    causationId: null,
    actor: { type: 'whatsapp', id: sessionId },
    recordedAt: new Date((clock += 7)).toISOString(),
    schemaVersion: 1,
  });
  const ids = Array.from({ length: sessions }, () => randomUUID());
  for (const [i, sessionId] of ids.entries()) {
    const companyId = `company-${i % 5}`;
    const session = (type: string, data: JsonObject): EventToAppend => {
      const id = randomUUID();
      return { id, type, data, metadata: meta(companyId, sessionId, id) };
    };
    await store.append(
      `session-${sessionId}`,
      [
        session('SessionRegistered', {
          sessionId,
          companyId,
          name: `Bench ${i}`,
          phoneNumber: null,
          tokenHash: null,
        }),
        session('SessionStartRequested', {}),
        session('SessionConnecting', { restoring: false }),
        session('SessionConnected', { waId: `55119${String(i).padStart(8, '0')}@c.us`, phoneNumber: null }),
      ],
      'no_stream',
    );
    written += 4;
  }
  const perChat = Math.ceil((total - written) / (sessions * chatsPerSession));
  for (let chunkStart = 0; chunkStart < perChat && written < total; chunkStart += 50) {
    for (const [i, sessionId] of ids.entries()) {
      const companyId = `company-${i % 5}`;
      for (let c = 0; c < chatsPerSession && written < total; c++) {
        const number = `5521${String(i * chatsPerSession + c).padStart(9, '0')}`;
        const chatJid = `${number}@c.us`;
        const events: EventToAppend[] = [];
        for (
          let n = chunkStart;
          n < Math.min(chunkStart + 50, perChat) && written + events.length < total;
          n++
        ) {
          const waMessageId = `false_${chatJid}_${n}`;
          const type = n % 10 === 9 ? 'ChatRead' : n % 5 === 4 ? 'MessageAckChanged' : 'MessageReceived';
          const data: JsonObject =
            type === 'MessageReceived'
              ? {
                  waMessageId,
                  chatJid,
                  isGroup: false,
                  fromMe: false,
                  from: chatJid,
                  to: 'me@c.us',
                  senderName: `Cliente ${c}`,
                  senderPhone: number,
                  chatName: null,
                  type: 'chat',
                  body: `mensagem ${n}`,
                  media: null,
                  timestamp: Math.floor(clock / 1000) + n,
                }
              : type === 'MessageAckChanged'
                ? { waMessageId: `false_${chatJid}_${n - 1}`, ack: 4 }
                : {};
          const id = whatsappFactEventId(sessionId, `${waMessageId}:${type}`, type);
          events.push({ id, type, data, metadata: meta(companyId, sessionId, id) });
        }
        if (events.length === 0) continue;
        await store.append(`chat-${sessionId}_${chatJid}`, events, 'any');
        written += events.length;
      }
    }
  }
  return written;
}
