import { MessageNotChangeableError, UnknownMessageError } from '../domain/chat/chat-errors.js';
import type { MessageAction } from '../domain/chat/chat-events.js';
import { toJid } from '../domain/jid.js';
import type { MessageTarget } from '../projections/messages/message-target.js';
import type { CommandContext } from './command-context.js';
import type { MessageSending } from './send-message.js';

export interface ActionRequest {
  /** The message's `id` as the messages endpoint shows it. */
  messageId: string;
  idempotencyKey: string | null;
  sessionConnected: boolean;
  from: string | null;
}

/**
 * Reacting to a message, editing or deleting one the session sent: each a send through the outbox, on the
 * message's chat, answered as a send is (with the id of the message changed).
 * @throws UnknownMessageError when the session has no such message (404).
 * @throws MessageNotChangeableError when the message cannot be changed so (409): it is not the session's own
 * (edit, delete), it is not sent yet, or it was deleted.
 */
export function createMessageActions(deps: {
  sendMessage: MessageSending;
  findTarget: (sessionId: string, messageId: string) => Promise<MessageTarget | undefined>;
}) {
  async function act(
    request: ActionRequest,
    context: CommandContext,
    body: string,
    action: (waMessageId: string) => MessageAction,
  ) {
    const target = await deps.findTarget(context.sessionId, request.messageId);
    if (!target) throw new UnknownMessageError(request.messageId);
    if (!target.waMessageId)
      throw new MessageNotChangeableError(request.messageId, 'ainda não foi enviada ao WhatsApp');
    if (target.revoked) throw new MessageNotChangeableError(request.messageId, 'foi apagada');
    const change = action(target.waMessageId);
    if (change.kind !== 'react' && !target.fromMe)
      throw new MessageNotChangeableError(request.messageId, 'não foi enviada por esta sessão');
    return deps.sendMessage(
      {
        to: toJid(target.chatJid),
        body,
        idempotencyKey: request.idempotencyKey,
        sessionConnected: request.sessionConnected,
        from: request.from,
        content: { action: change },
      },
      context,
    );
  }

  return {
    react: (request: ActionRequest & { emoji: string }, context: CommandContext) =>
      act(request, context, request.emoji, (waMessageId) => ({
        kind: 'react',
        waMessageId,
        emoji: request.emoji,
      })),
    edit: (request: ActionRequest & { text: string }, context: CommandContext) =>
      act(request, context, request.text, (waMessageId) => ({ kind: 'edit', waMessageId })),
    revoke: (request: ActionRequest, context: CommandContext) =>
      act(request, context, '', (waMessageId) => ({ kind: 'revoke', waMessageId })),
  };
}

export type MessageActions = ReturnType<typeof createMessageActions>;
