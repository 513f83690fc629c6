import { createHash, randomUUID } from 'node:crypto';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import { IdempotencyKeyReusedError } from '../domain/chat/chat-errors.js';
import { nameBasedUuid } from '../domain/deterministic-id.js';
import type { Media } from '../domain/chat/chat-events.js';
import type { SendContent } from '../domain/chat/chat-commands.js';
import type { Jid } from '../domain/jid.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { SendOutcome, SendOutcomes } from './send-outcomes.js';

export interface SendRequest {
  to: Jid;
  body: string;
  /** A file already kept in the media store, for send-media. */
  media?: Media | null;
  /** A reply, mentions, a poll, a location, or a change to a message already in the chat. */
  content?: SendContent;
  idempotencyKey: string | null;
  /** The session's connection and own WhatsApp id as the caller read them. */
  sessionConnected: boolean;
  from: string | null;
}

/**
 * The send use case: claim the idempotency key, record that a send was requested (the outbox sender does the
 * rest), then wait for the outcome up to `timeoutMs`. The same key on the same session is one message: a replay
 * waits for or answers the first one's outcome; the same key with another request is refused.
 */
export function createMessageSending(deps: {
  handle: CommandHandler;
  idempotency: IdempotencyStore;
  outcomes: SendOutcomes;
  timeoutMs: number;
}) {
  return async (
    request: SendRequest,
    context: CommandContext,
  ): Promise<SendOutcome & { messageId: string; chatJid: string }> => {
    const { sessionId } = context;
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify([
          request.to,
          request.body,
          request.media?.size ?? null,
          request.media?.mimetype ?? null,
          request.media?.fileName ?? null,
          request.content ?? null,
        ]),
      )
      .digest('hex');
    // The claim time is part of the id: a key reused after its purge (7 days) is a new message, not the old one.
    const claimedAt = new Date();
    let messageId = request.idempotencyKey
      ? nameBasedUuid('send', sessionId, request.idempotencyKey, claimedAt.toISOString())
      : randomUUID();
    let chatJid: string = request.to;

    const key = request.idempotencyKey;
    const claim = key
      ? await deps.idempotency.claim(sessionId, key, { requestHash, messageId, chatJid, claimedAt })
      : { claimed: true as const };
    if (!claim.claimed) {
      if (claim.earlier.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key!);
      messageId = claim.earlier.messageId;
      chatJid = claim.earlier.chatJid;
      // Settled long ago: answered from what is stored, without asking the chat again (its decision state only
      // remembers recent sends, and an old request recorded again must never be sent again).
      const settled = await deps.outcomes.stored(sessionId, messageId);
      if (settled) return { ...settled, messageId, chatJid };
    }
    // A replay also records the request: if the first request died between claiming the key and recording it,
    // the message is not lost; otherwise the deterministic event id makes this a no-op.
    try {
      await deps.handle(
        chatStream,
        chatStreamName(sessionId, chatJid),
        {
          type: 'RequestMessageSend',
          sessionId,
          chatJid,
          messageId,
          from: request.from,
          body: request.body,
          media: request.media ?? null,
          idempotencyKey: key,
          requestHash,
          // A replay of a request recorded already is answered whatever the session's state now.
          sessionConnected: request.sessionConnected || !claim.claimed,
          ...(request.content ? { content: request.content } : {}),
        },
        key ? { ...context, factKey: `send:${messageId}` } : context,
      );
    } catch (error) {
      if (key && claim.claimed) await deps.idempotency.release(sessionId, key);
      throw error;
    }
    const outcome = await deps.outcomes.waitFor(sessionId, messageId, deps.timeoutMs);
    return { ...outcome, messageId, chatJid };
  };
}

export type MessageSending = ReturnType<typeof createMessageSending>;
