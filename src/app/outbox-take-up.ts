import type { BusMessage } from '../adapters/bus/port.js';
import type { EventStore, RecordedEvent } from '../adapters/event-store/port.js';
import { chatStreamName } from '../domain/chat/chat-stream.js';
import type { Logger } from '../logger.js';
import { busMessageOf } from './bus-message-of.js';
import { SessionNotOwnedHereError } from './outbox-options.js';

/** A request left pending, where its chat's stream keeps it (as projections/messages/pending-sends.ts lists it). */
export interface PendingRequest {
  sessionId: string;
  chatJid: string;
  messageId: string;
  requestRevision: bigint;
}

interface OutboxTakeUpDeps {
  store: EventStore;
  logger: Logger;
  /** Sends a request now, where its session runs here; throws SessionNotOwnedHereError where it does not. */
  deliver: (message: BusMessage) => Promise<boolean>;
  /** Sends a request in the background, once however many copies of it arrive. */
  startDelivery: (message: BusMessage) => void;
  runsHere: (sessionId: string) => boolean;
}

/** How the outbox takes up again sends left pending, read back from their chats' streams. */
export function createOutboxTakeUp(deps: OutboxTakeUpDeps) {
  const { store, logger } = deps;

  /** A pending send's request, read from its chat's stream; undefined when it is not there as listed. */
  async function requestOf(send: PendingRequest): Promise<RecordedEvent | undefined> {
    const stream = chatStreamName(send.sessionId, send.chatJid);
    const [requested] = await store.readStream(stream, { fromRevision: send.requestRevision, maxCount: 1 });
    const found = requested?.type === 'MessageSendRequested' && requested.data.messageId === send.messageId;
    return found ? requested : undefined;
  }

  return {
    /**
     * After a restart, takes up again every request left pending: with the in-process bus the queue died with
     * the process, and with NATS a request taken by the dead process would wait for its acknowledgement to time
     * out.
     */
    async recover(pending: readonly PendingRequest[]): Promise<void> {
      for (const send of pending) {
        const { sessionId, messageId } = send;
        const requested = await requestOf(send);
        if (!requested) continue;
        const attempt = () =>
          deps.deliver(busMessageOf(requested)).catch((error: unknown) => {
            if (error instanceof SessionNotOwnedHereError) setTimeout(() => void attempt(), 2000).unref();
            else logger.error({ err: error, sessionId, messageId }, 'Could not take up a pending send');
          });
        void attempt();
      }
    },

    /**
     * Takes up the pending sends of a session that has just connected in this process (after a restart, or taken
     * over from a process that died): a work-queue copy the dead process held would wait for its acknowledgement
     * to time out (a minute) before another process saw it.
     */
    async takeUpConnected(pending: readonly PendingRequest[]): Promise<void> {
      for (const send of pending) {
        const requested = await requestOf(send);
        if (requested && deps.runsHere(send.sessionId)) deps.startDelivery(busMessageOf(requested));
      }
    },
  };
}
