import type { RecordedEvent } from '../adapters/event-store/port.js';
import { systemActor } from '../domain/actor.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import type { Logger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';

export interface AutoReadOptions {
  handle: CommandHandler;
  /** Sends the read receipt; only called for sessions that run in this process. */
  markSeen: (sessionId: string, chatJid: string) => Promise<void>;
  runsHere: (sessionId: string) => boolean;
  logger: Logger;
}

/**
 * AUTO_READ: each incoming message this process recorded marks its chat read (blue ticks, unread 0), on the
 * process that runs the session. A burst in one chat is one receipt: while a chat's receipt is on its way, later
 * messages only ask for one more after it.
 */
export function autoRead(options: AutoReadOptions) {
  const inFlight = new Map<string, { again: boolean }>();

  async function markRead(sessionId: string, chatJid: string, companyId: string, causationId: string) {
    await options.markSeen(sessionId, chatJid);
    await options.handle(
      chatStream,
      chatStreamName(sessionId, chatJid),
      { type: 'MarkChatRead', sessionId, chatJid },
      { companyId, sessionId, actor: systemActor('auto-read'), correlationId: causationId, causationId },
    );
  }

  function request(sessionId: string, chatJid: string, companyId: string, causationId: string): void {
    const key = `${sessionId} ${chatJid}`;
    const running = inFlight.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    inFlight.set(key, state);
    void (async () => {
      do {
        state.again = false;
        await markRead(sessionId, chatJid, companyId, causationId).catch((error: unknown) =>
          options.logger.warn({ err: error, sessionId, chatJid }, 'Could not mark a chat read (AUTO_READ)'),
        );
      } while (state.again);
      inFlight.delete(key);
    })();
  }

  return (events: readonly RecordedEvent[]): void => {
    for (const event of events) {
      if (event.type !== 'MessageReceived' || event.data.fromMe === true) continue;
      const { sessionId, companyId } = event.metadata as { sessionId?: string; companyId?: string };
      const chatJid = event.data.chatJid;
      if (!sessionId || !companyId || typeof chatJid !== 'string' || !options.runsHere(sessionId)) continue;
      request(sessionId, chatJid, companyId, event.id);
    }
  };
}
