import { toJid } from '../../../domain/jid.js';
import type { SimulatedPhone } from './simulated-phone.js';
import { chatOfSimulatedId, simulatedMessageId } from './simulated-ids.js';
import { SimulatedMessageIdError } from './simulator-errors.js';

export type GroupAction = 'add' | 'remove' | 'promote' | 'demote';

/** What contacts do to messages already in a chat, and what happens to groups; each resolves once recorded. */
export interface SimulatedChatActivity {
  /** A contact reacts to a message (an empty emoji takes the reaction back); resolves with the reaction's id. */
  react(phone: SimulatedPhone, input: { from: string; messageId: string; emoji: string }): Promise<string>;
  /** A contact edits its message. */
  edit(phone: SimulatedPhone, input: { from: string; messageId: string; body: string }): Promise<void>;
  /** A contact deletes its message for everyone. */
  revoke(phone: SimulatedPhone, input: { from: string; messageId: string }): Promise<void>;
  /** A contact votes in a poll, choosing options by name. */
  vote(phone: SimulatedPhone, input: { from: string; messageId: string; options: string[] }): Promise<void>;
  /** Members of a group are added, removed, promoted or demoted. */
  groupUpdate(
    phone: SimulatedPhone,
    input: { groupId: string; action: GroupAction; participants: string[] },
  ): Promise<{ groupJid: string; participants: string[] }>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The chat a message lives in, under the id the driver keeps it (a known `@lid`'s phone JID). */
function chatOf(phone: SimulatedPhone, messageId: string): string {
  const chat = chatOfSimulatedId(messageId);
  if (!chat) throw new SimulatedMessageIdError(messageId);
  return phone.contacts.canonical(chat);
}

const contact = (phone: SimulatedPhone, id: string) => phone.contacts.canonical(toJid(id));

export const simulatedChatActivity: SimulatedChatActivity = {
  async react(phone, { from, messageId, emoji }) {
    const chatJid = chatOf(phone, messageId);
    const reactionId = simulatedMessageId(false, chatOfSimulatedId(messageId)!);
    const reaction = { waMessageId: messageId, chatJid, reactionId, from: contact(phone, from), emoji };
    await phone.report('react in', (callbacks) =>
      callbacks.onReaction?.({ ...reaction, timestamp: nowSeconds() }),
    );
    return reactionId;
  },

  async edit(phone, { messageId, body }) {
    const chatJid = chatOf(phone, messageId);
    await phone.report('edit a message in', (callbacks) =>
      callbacks.onEdited?.({ waMessageId: messageId, chatJid, body, editedAt: nowSeconds() }),
    );
  },

  async revoke(phone, { messageId }) {
    const chatJid = chatOf(phone, messageId);
    await phone.report('delete a message in', (callbacks) =>
      callbacks.onRevoked({ waMessageId: messageId, chatJid }),
    );
  },

  async vote(phone, { from, messageId, options }) {
    const chatJid = chatOf(phone, messageId);
    const vote = { waMessageId: messageId, chatJid, from: contact(phone, from), selectedOptions: options };
    await phone.report('vote in', (callbacks) =>
      callbacks.onPollVote?.({ ...vote, timestamp: nowSeconds() }),
    );
  },

  async groupUpdate(phone, { groupId, action, participants }) {
    const change = {
      groupJid: toJid(groupId),
      action,
      participants: participants.map((id) => contact(phone, id)),
      by: phone.ownJid,
    };
    await phone.report('change a group of', (callbacks) => callbacks.onParticipantsChanged?.(change));
    return { groupJid: change.groupJid, participants: change.participants };
  },
};
