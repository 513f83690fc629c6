import type { DriverSession, SentMessage } from '../adapters/whatsapp/port.js';
import type { ActionEffect, ChatCommand } from '../domain/chat/chat-commands.js';
import type { ChatEvent, Media } from '../domain/chat/chat-events.js';
import type { MediaStore } from './media-store.js';

type Requested = Extract<ChatEvent, { type: 'MessageSendRequested' }>['data'];
type SentCommand = Extract<ChatCommand, { type: 'RecordMessageSent' }>;

/** The one driver call a recorded send request asks for. */
export function dispatchSend(
  driver: DriverSession,
  chatJid: string,
  request: Requested,
  media: Pick<MediaStore, 'read'>,
): Promise<SentMessage> {
  const { action, poll, location } = request;
  if (action) {
    switch (action.kind) {
      case 'react':
        return driver.react(chatJid, action.waMessageId, action.emoji);
      case 'edit':
        return driver.editMessage(chatJid, action.waMessageId, request.body);
      case 'revoke':
        return driver.revokeMessage(chatJid, action.waMessageId);
    }
  }
  if (request.media) return sendMedia(driver, chatJid, request.media, media);
  if (poll) return driver.sendPoll(chatJid, poll);
  if (location) return driver.sendLocation(chatJid, location);
  return driver.sendText(chatJid, request.body, {
    quotedMessageId: request.quotedMessageId ?? null,
    mentions: request.mentions ?? [],
  });
}

async function sendMedia(
  driver: DriverSession,
  chatJid: string,
  media: Media,
  store: Pick<MediaStore, 'read'>,
): Promise<SentMessage> {
  const file = await store.read(media.location!);
  return driver.sendMedia(chatJid, {
    mimetype: file.mimetype,
    fileName: file.fileName,
    caption: media.caption,
    data: file.data,
  });
}

/**
 * What a change to a message did, recorded with its send so that the read models show it at once, as the
 * session's phone does (WhatsApp's own report of it, when it comes, changes nothing more).
 */
export function actionOf(
  request: Requested,
  sent: SentMessage,
  messageId: string,
): SentCommand['action'] | undefined {
  const { action } = request;
  if (!action) return undefined;
  const own = request.from;
  let effect: ActionEffect | null;
  switch (action.kind) {
    case 'react':
      effect = own
        ? {
            type: 'MessageReacted',
            data: {
              waMessageId: action.waMessageId,
              reactionId: messageId,
              from: own,
              emoji: action.emoji,
              timestamp: sent.timestamp,
            },
          }
        : null;
      break;
    case 'edit':
      effect = {
        type: 'MessageEdited',
        data: { waMessageId: action.waMessageId, body: request.body, editedAt: sent.timestamp },
      };
      break;
    case 'revoke':
      effect = { type: 'MessageRevoked', data: { waMessageId: action.waMessageId } };
      break;
  }
  return { kind: action.kind, effect };
}
