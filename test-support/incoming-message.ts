import type { ChatCommand } from '../src/domain/chat/chat-commands.js';

/** The command that records a contact's text message in a chat, as the recorder builds it. */
export function recordIncomingMessage(
  sessionId: string,
  chatJid: string,
  message: { waMessageId: string; body: string; timestamp: number },
): Extract<ChatCommand, { type: 'RecordIncomingMessage' }> {
  return {
    type: 'RecordIncomingMessage',
    sessionId,
    chatJid,
    message: {
      ...message,
      isGroup: false,
      fromMe: false,
      from: chatJid,
      to: '5511900000000@c.us',
      senderName: null,
      senderPhone: chatJid.split('@')[0]!,
      chatName: null,
      type: 'chat',
      media: null,
    },
  };
}
