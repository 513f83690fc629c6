import type { OutgoingLocation, OutgoingPoll } from '../../../domain/chat/chat-events.js';
import { simulatedPhoneNumber } from './simulated-ids.js';
import type { DriverCallbacks, IncomingWhatsAppMessage, Recorded } from '../port.js';

/** What the gateway asks a simulated phone to send: a new message, or a change to one already in a chat. */
export type SimulatedSend =
  | { kind: 'chat'; to: string; body: string; quotedMessageId?: string | null; mentions?: readonly string[] }
  | { kind: 'poll'; to: string; poll: OutgoingPoll }
  | { kind: 'location'; to: string; location: OutgoingLocation }
  | { kind: 'reaction'; to: string; waMessageId: string; emoji: string }
  | { kind: 'edit'; to: string; waMessageId: string; body: string }
  | { kind: 'revoke'; to: string; waMessageId: string };

/** A change to a message already in the chat: WhatsApp answers with that message's id. */
export const changesAMessage = (
  send: SimulatedSend,
): send is Extract<SimulatedSend, { kind: 'reaction' | 'edit' | 'revoke' }> =>
  send.kind === 'reaction' || send.kind === 'edit' || send.kind === 'revoke';

/** How the send reads in the phone's sent log: its type and its text. */
export function sentLogEntry(send: SimulatedSend): { type: string; body: string } {
  switch (send.kind) {
    case 'chat':
      return { type: 'chat', body: send.body };
    case 'poll':
      return { type: 'poll_creation', body: send.poll.name };
    case 'location':
      return {
        type: 'location',
        body: send.location.name ?? `${send.location.latitude},${send.location.longitude}`,
      };
    case 'reaction':
      return { type: 'reaction', body: send.emoji };
    case 'edit':
      return { type: 'edit', body: send.body };
    case 'revoke':
      return { type: 'revoke', body: '' };
  }
}

/**
 * What WhatsApp Web reports back to the session that sent it, as it does for what is typed on the phone: a new
 * message comes back as an own message, a change as the reaction, edit or deletion it is.
 */
export function echoOf(
  send: SimulatedSend,
  sent: { sessionId: string; ownJid: string; waMessageId: string; timestamp: number },
): (callbacks: DriverCallbacks) => Recorded {
  const { waMessageId, timestamp } = sent;
  const chatJid = send.to;
  switch (send.kind) {
    case 'reaction':
      return (callbacks) =>
        callbacks.onReaction?.({
          waMessageId: send.waMessageId,
          chatJid,
          reactionId: waMessageId,
          from: sent.ownJid,
          emoji: send.emoji,
          timestamp,
        });
    case 'edit':
      return (callbacks) =>
        callbacks.onEdited?.({
          waMessageId: send.waMessageId,
          chatJid,
          body: send.body,
          editedAt: timestamp,
        });
    case 'revoke':
      return (callbacks) => callbacks.onRevoked({ waMessageId: send.waMessageId, chatJid });
    default: {
      const own: IncomingWhatsAppMessage = {
        waMessageId,
        chatJid,
        isGroup: chatJid.endsWith('@g.us'),
        fromMe: true,
        from: sent.ownJid,
        to: chatJid,
        senderName: null,
        senderPhone: simulatedPhoneNumber(sent.sessionId),
        chatName: null,
        type: 'chat',
        body: '',
        media: null,
        timestamp,
        ...newMessageContent(send),
      };
      return (callbacks) => callbacks.onMessage(own);
    }
  }
}

function newMessageContent(
  send: Extract<SimulatedSend, { kind: 'chat' | 'poll' | 'location' }>,
): Partial<IncomingWhatsAppMessage> {
  switch (send.kind) {
    case 'chat':
      return {
        body: send.body,
        ...(send.quotedMessageId ? { quotedMsgId: send.quotedMessageId } : {}),
        ...(send.mentions?.length ? { mentionedJidList: [...send.mentions] } : {}),
      };
    case 'poll':
      return { type: 'poll_creation', body: send.poll.name, poll: { ...send.poll } };
    case 'location': {
      const { latitude: lat, longitude: lng, name } = send.location;
      return { type: 'location', location: { lat, lng, description: name } };
    }
  }
}
