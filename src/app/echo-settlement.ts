import type { EventStore } from '../adapters/event-store/port.js';
import type { ChatCommand } from '../domain/chat/chat-commands.js';
import { MessageAck } from '../domain/chat/message-ack.js';
import type { DistributiveOmit } from '../domain/distributive-omit.js';
import { findEchoInStream, type EchoMatcher } from './find-echo.js';
import type { MessageAction } from '../domain/chat/chat-events.js';

export type RecordChatCommand = (
  command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>,
) => Promise<unknown>;

/**
 * Settles an attempt whose outcome is unknown (the gateway stopped mid-send, the driver's answer was lost):
 * WhatsApp echoes every message a session sends, so its echo, looked for during `waitMs`, shows it went out;
 * without one the send fails for good with `reason`. It is never sent again: that could send it twice.
 */
export async function settleByEcho(attempt: {
  record: RecordChatCommand;
  store: EventStore;
  streamName: string;
  messageId: string;
  /** The text of the message, or what recognises the echo of anything else. */
  lookFor: string | EchoMatcher;
  /** The send was a change to a message: its echo is that change, already recorded. */
  action?: MessageAction['kind'];
  startedAt: string | null;
  attempt: number;
  waitMs: number;
  reason: string;
}): Promise<void> {
  const deadline = Date.now() + attempt.waitMs;
  for (;;) {
    const echo = await findEchoInStream(
      attempt.store,
      attempt.streamName,
      attempt.lookFor,
      attempt.startedAt,
    );
    if (echo) {
      await attempt.record({
        type: 'RecordMessageSent',
        messageId: attempt.messageId,
        waMessageId: echo.waMessageId,
        ack: MessageAck.SERVER,
        timestamp: echo.timestamp,
        ...(attempt.action ? { action: { kind: attempt.action, effect: null } } : {}),
      });
      return;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await attempt.record({
    type: 'RecordSendFailure',
    messageId: attempt.messageId,
    reason: attempt.reason,
    attempt: attempt.attempt,
    final: true,
  });
}
