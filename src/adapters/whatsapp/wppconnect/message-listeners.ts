import type { Logger } from '../../../logger.js';
import type { DriverCallbacks, Recorded } from '../port.js';
import { withCanonicalIds } from './canonical-ids.js';
import type { ContactDirectory } from './contact-directory.js';
import { toAckChange, toRevocation } from './map-ack.js';
import { toEdit, toIncomingCall, toParticipantsChange, toPollVote, toReaction } from './map-events.js';
import { toIncomingMessage } from './map-message.js';
import { whyIgnored, type ChannelPolicy } from './message-filter.js';
import type { Disposable, WppClient } from './wpp-client.js';
import { isFields, isOwnMessageKey } from './wpp-values.js';

export interface MessageListenerLink {
  sessionId: string;
  callbacks: DriverCallbacks;
  logger: Logger;
  policy: ChannelPolicy;
  directory: ContactDirectory;
  /** Hands a report to its callback, unless the session is closing. */
  deliver(what: string, report: () => Recorded): void;
}

/**
 * Listens to what happens in the chats: messages, acks, revocations, edits, reactions, poll votes, group
 * changes and calls. Reports leave in the order WhatsApp Web gave them, even when an id has to be looked up
 * first, so that an ack never overtakes its message.
 */
export function attachMessageListeners(client: WppClient, link: MessageListenerLink): Disposable[] {
  const { sessionId, callbacks, logger, directory } = link;
  let tail: Promise<void> = Promise.resolve();
  const inOrder = (what: string, work: () => Promise<(() => Recorded) | null>) => {
    tail = tail
      .then(async () => {
        const report = await work();
        if (report) link.deliver(what, report);
      })
      .catch((error: unknown) => logger.error({ sessionId, err: error }, `Could not report a ${what}`));
  };
  const unreadable = (what: string) => {
    logger.warn({ sessionId }, `WPPConnect delivered an unreadable ${what}`);
    return null;
  };
  const canonical = (jid: string) => directory.canonical(jid);

  return [
    client.onAnyMessage((raw) => {
      const ignored = whyIgnored(raw, link.policy);
      // Statuses come by the dozen: dropped without a word.
      if (ignored) return;
      const mapped = toIncomingMessage(raw);
      if (!mapped) return void unreadable('message (no id or chat)');
      inOrder('message', async () => {
        const message = await withCanonicalIds(mapped, directory);
        return () => callbacks.onMessage(message);
      });
    }),
    client.onAck((raw) => {
      // WhatsApp Web reports acks of incoming messages too (the session read them): only its own count.
      if (!isOwnMessageKey(isFields(raw) ? raw['id'] : null)) return;
      const mapped = toAckChange(raw);
      if (!mapped) return void unreadable('ack');
      inOrder('ack', async () => {
        const ack = { ...mapped, chatJid: await canonical(mapped.chatJid) };
        return () => callbacks.onAck(ack);
      });
    }),
    client.onRevokedMessage((raw) => {
      const mapped = toRevocation(raw);
      if (!mapped) return void unreadable('revocation');
      inOrder('revocation', async () => {
        const revoked = { ...mapped, chatJid: await canonical(mapped.chatJid) };
        return () => callbacks.onRevoked(revoked);
      });
    }),
    client.onMessageEdit((raw) => {
      const mapped = toEdit(raw);
      if (!mapped) return void unreadable('edit');
      inOrder('edit', async () => {
        const edit = { ...mapped, chatJid: await canonical(mapped.chatJid) };
        return callbacks.onEdited ? () => callbacks.onEdited!(edit) : null;
      });
    }),
    client.onReactionMessage((raw) => {
      const mapped = toReaction(raw);
      if (!mapped) return void unreadable('reaction');
      inOrder('reaction', async () => {
        const reaction = {
          ...mapped,
          chatJid: await canonical(mapped.chatJid),
          from: await canonical(mapped.from),
        };
        return callbacks.onReaction ? () => callbacks.onReaction!(reaction) : null;
      });
    }),
    client.onPollResponse((raw) => {
      const mapped = toPollVote(raw);
      if (!mapped) return void unreadable('poll vote');
      inOrder('poll vote', async () => {
        const vote = {
          ...mapped,
          chatJid: await canonical(mapped.chatJid),
          from: await canonical(mapped.from),
        };
        return callbacks.onPollVote ? () => callbacks.onPollVote!(vote) : null;
      });
    }),
    client.onParticipantsChanged((raw) => {
      const mapped = toParticipantsChange(raw);
      if (!mapped) return void unreadable('group participants change');
      inOrder('group participants change', async () => {
        const change = {
          ...mapped,
          participants: await Promise.all(mapped.participants.map(canonical)),
          by: mapped.by ? await canonical(mapped.by) : null,
        };
        return callbacks.onParticipantsChanged ? () => callbacks.onParticipantsChanged!(change) : null;
      });
    }),
    client.onIncomingCall((raw) => {
      const mapped = toIncomingCall(raw);
      if (!mapped) return void unreadable('call');
      inOrder('call', async () => {
        const call = { ...mapped, from: await canonical(mapped.from) };
        return callbacks.onIncomingCall ? () => callbacks.onIncomingCall!(call) : null;
      });
    }),
  ];
}
