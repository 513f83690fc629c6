import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../../../logger.js';
import type { DriverSession, SentMessage, WhatsAppDriver } from '../port.js';
import { createMemoryLoginStore, type LoginStore } from './login-store.js';
import { createMemorySentLog, type SentLog } from './sent-log.js';
import { simulatedChatActivity, type SimulatedChatActivity } from './simulated-chat-activity.js';
import { deliverIncoming, type SimulatedIncoming } from './simulated-incoming.js';
import { SimulatedGroups } from './simulated-groups.js';
import { SimulatedPhone } from './simulated-phone.js';
import { createMemorySimulatedFiles, type SimulatedFiles } from './simulated-files.js';
import { simulatedNumberStatus } from './simulated-numbers.js';
import { simulatedSeenId } from './simulated-ids.js';
import { SimulatedSessionNotRunningError } from './simulator-errors.js';
import { defaultSimulatorSettings, type SimulatorSettings } from './simulator-settings.js';

/** What tests, demos and benchmarks do in place of the phone and the contacts. */
export interface SimulatorControls {
  scan(sessionId: string): Promise<void>;
  /** The phone enters the pairing code (linking by phone number); resolves once connected and recorded. */
  pair(sessionId: string, code: string): Promise<void>;
  /** Resolves with the message's WhatsApp id once the gateway recorded it. */
  incoming(sessionId: string, message: SimulatedIncoming): Promise<string>;
  disconnect(sessionId: string, reason: string, options?: { unlink?: boolean }): Promise<void>;
  /** The session's browser dies: no more callbacks, and the heartbeat probe fails. */
  kill(sessionId: string): void;
  /** The next `count` sends of the session fail, transiently or for good. */
  failSends(
    sessionId: string,
    plan: { count: number; permanent: boolean; reason?: string; answerLost?: { delivered: boolean } },
  ): void;
  /** Everything the simulated phone of the session was asked to send, in order, whichever process sent it. */
  sent(sessionId: string): ReturnType<SentLog['list']>;
  isRunning(sessionId: string): boolean;
  /** A contact reacts to a message; resolves with the reaction's id once recorded. */
  react(sessionId: string, input: Parameters<SimulatedChatActivity['react']>[1]): Promise<string>;
  edit(sessionId: string, input: Parameters<SimulatedChatActivity['edit']>[1]): Promise<void>;
  revoke(sessionId: string, input: Parameters<SimulatedChatActivity['revoke']>[1]): Promise<void>;
  vote(sessionId: string, input: Parameters<SimulatedChatActivity['vote']>[1]): Promise<void>;
  groupUpdate(sessionId: string, input: Parameters<SimulatedChatActivity['groupUpdate']>[1]): Promise<void>;
  /** The groups the session's phone is in, as WhatsApp's servers keep them (for changes the gateway never saw). */
  phoneGroups(sessionId: string): SimulatedGroups;
}

export type SimulatorDriver = WhatsAppDriver & SimulatorControls;
export type { SimulatedIncoming };

/**
 * A faithful stand-in for WhatsApp: QR codes that rotate and run out, a login that survives restarts, incoming
 * messages of every kind, acks after sends, echoes of own messages, dropped connections and unlinked phones.
 *
 * @example
 * const simulator = createSimulatorDriver({ settings: { qrIntervalMs: 20_000 } });
 * const session = await simulator.start({ sessionId, callbacks });
 * await simulator.scan(sessionId);
 */
export function createSimulatorDriver(
  options: {
    settings?: Partial<SimulatorSettings>;
    logins?: LoginStore;
    sentLog?: SentLog;
    files?: SimulatedFiles;
    logger?: Logger;
  } = {},
): SimulatorDriver {
  const logger = options.logger ?? silentLogger;
  const settings = { ...defaultSimulatorSettings, ...options.settings };
  const logins = options.logins ?? createMemoryLoginStore();
  const sentLog = options.sentLog ?? createMemorySentLog();
  const files = options.files ?? createMemorySimulatedFiles();
  /**
   * Sends, then writes what the phone sent to the log (also when the answer is lost on the way back). The log is
   * the simulated WhatsApp's servers' record: its database failing (a connection cut) must not turn a message
   * sent into an error the gateway would retry, so a write is tried again, and what still fails waits for the
   * next send's write, in order.
   */
  const sendAndLog = async (simulated: SimulatedPhone, send: () => SentMessage): Promise<SentMessage> => {
    await afterSendDelay();
    try {
      return send();
    } finally {
      await writeSentLog(simulated);
    }
  };
  // One write of a session's log at a time (its phone restarted or not), so that entries are written in order;
  // an entry's id makes a write repeated after a lost answer add nothing.
  const logWrites = new Map<string, Promise<void>>();
  const writeSentLog = (simulated: SimulatedPhone): Promise<void> => {
    const { sessionId } = simulated;
    const write = (logWrites.get(sessionId) ?? Promise.resolve()).then(() => writeUnlogged(simulated));
    logWrites.set(sessionId, write);
    void write.finally(() => {
      if (logWrites.get(sessionId) === write) logWrites.delete(sessionId);
    });
    return write;
  };
  const writeUnlogged = async (simulated: SimulatedPhone): Promise<void> => {
    for (let attempt = 1; simulated.unlogged.length > 0; attempt++) {
      try {
        await sentLog.record({ sessionId: simulated.sessionId, ...simulated.unlogged[0]! });
        simulated.unlogged.shift();
      } catch (error) {
        if (attempt >= sentLogAttempts) {
          logger.warn(
            { err: error, sessionId: simulated.sessionId },
            'The simulator could not log a send yet',
          );
          setTimeout(() => void writeSentLog(simulated), sentLogRetryMs * attempt).unref();
          return;
        }
        await delay(sentLogRetryMs * attempt);
      }
    }
  };
  const phones = new Map<string, SimulatedPhone>();
  const afterSendDelay = () => (settings.sendDelayMs > 0 ? delay(settings.sendDelayMs) : Promise.resolve());

  // Kept per session across restarts of its phone, as WhatsApp's servers keep a number's groups.
  const groups = new Map<string, SimulatedGroups>();
  const groupsOf = (sessionId: string): SimulatedGroups => {
    let found = groups.get(sessionId);
    if (!found) groups.set(sessionId, (found = new SimulatedGroups(() => phone(sessionId).ownJid)));
    return found;
  };

  const phone = (sessionId: string): SimulatedPhone => {
    const found = phones.get(sessionId);
    if (!found) throw new SimulatedSessionNotRunningError(sessionId);
    return found;
  };

  return {
    name: 'simulator',

    async start({ sessionId, callbacks, phoneNumber }) {
      await logins.refresh?.(sessionId);
      const previous = phones.get(sessionId);
      previous?.stop();
      const simulated = new SimulatedPhone(sessionId, callbacks, logins, settings, files);
      // What the phone before it sent and could not log yet comes first.
      if (previous) simulated.unlogged.push(...previous.unlogged.splice(0));
      phones.set(sessionId, simulated);
      simulated.linkByPhone = phoneNumber;
      simulated.boot();
      const session: DriverSession = {
        sendText: (to, body, { quotedMessageId, mentions } = {}) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'chat', to, body, quotedMessageId, mentions })),
        sendMedia: (to, media) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'chat', to, body: media.caption ?? '' })),
        sendPoll: (to, poll) => sendAndLog(simulated, () => simulated.send({ kind: 'poll', to, poll })),
        sendLocation: (to, location) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'location', to, location })),
        react: (to, waMessageId, emoji) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'reaction', to, waMessageId, emoji })),
        editMessage: (to, waMessageId, body) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'edit', to, waMessageId, body })),
        revokeMessage: (to, waMessageId) =>
          sendAndLog(simulated, () => simulated.send({ kind: 'revoke', to, waMessageId })),
        checkNumber: (phone) =>
          simulated.whileConnected('check a number of', () => simulatedNumberStatus(phone)),
        downloadMedia: async (waMessageId) => {
          await simulated.whileConnected('download a file of', () => undefined);
          if (settings.downloadDelayMs > 0) await delay(settings.downloadDelayMs);
          return files.download(sessionId, waMessageId);
        },
        markSeen: async (chatJid) => {
          await simulated.whileConnected('mark a chat read of', () => undefined);
          simulated.unlogged.push({
            entryId: randomUUID(),
            waMessageId: simulatedSeenId(chatJid),
            to: chatJid,
            type: 'seen',
            body: '',
          });
          await writeSentLog(simulated);
        },
        profilePicture: (contactJid) =>
          simulated.whileConnected('ask a profile picture of', () => simulated.profiles.picture(contactJid)),
        contactName: (contactJid) =>
          simulated.whileConnected('ask a contact name of', () => simulated.profiles.name(contactJid)),
        createGroup: (subject, participants) =>
          simulated.whileConnected('create a group of', () =>
            groupsOf(sessionId).create(subject, participants),
          ),
        changeGroupParticipants: (groupJid, action, participants) =>
          simulated.whileConnected('change a group of', () =>
            groupsOf(sessionId).change(groupJid, action, participants),
          ),
        leaveGroup: (groupJid) =>
          simulated.whileConnected('leave a group of', () => groupsOf(sessionId).leave(groupJid)),
        listGroups: () => simulated.whileConnected('list the groups of', () => groupsOf(sessionId).list()),
        isAlive: () => Promise.resolve(simulated.state !== 'dead' && simulated.state !== 'stopped'),
        stop: () => {
          simulated.stop();
          if (phones.get(sessionId) === simulated) phones.delete(sessionId);
          return Promise.resolve();
        },
        logout: async () => {
          await session.stop();
          await logins.remove(sessionId);
        },
      };
      return session;
    },

    hasSavedLogin: (sessionId) => Promise.resolve(logins.has(sessionId)),
    removeSessionData: (sessionId) => logins.remove(sessionId),

    close() {
      for (const simulated of phones.values()) simulated.stop();
      phones.clear();
      return Promise.resolve();
    },

    scan: async (sessionId) => phone(sessionId).scan(),
    pair: (sessionId, code) => phone(sessionId).pair(code),

    incoming: (sessionId, message) => deliverIncoming(phone(sessionId), message),
    react: (sessionId, input) => simulatedChatActivity.react(phone(sessionId), input),
    edit: (sessionId, input) => simulatedChatActivity.edit(phone(sessionId), input),
    revoke: (sessionId, input) => simulatedChatActivity.revoke(phone(sessionId), input),
    vote: (sessionId, input) => simulatedChatActivity.vote(phone(sessionId), input),
    phoneGroups: (sessionId) => groupsOf(sessionId),
    groupUpdate: async (sessionId, input) => {
      const reported = await simulatedChatActivity.groupUpdate(phone(sessionId), input);
      groupsOf(sessionId).applyReported(reported.groupJid, input.action, reported.participants);
    },

    disconnect: (sessionId, reason, { unlink = false } = {}) => phone(sessionId).disconnect(reason, unlink),
    kill: (sessionId) => phone(sessionId).kill(),
    failSends(sessionId, { count, permanent, reason, answerLost }) {
      phone(sessionId).failures = {
        remaining: count,
        permanent,
        reason: reason ?? (permanent ? 'number is not on WhatsApp' : 'WhatsApp did not answer in time'),
        ...(answerLost ? { answerLost } : {}),
      };
    },
    isRunning: (sessionId) => phones.has(sessionId),
    sent: (sessionId) => sentLog.list(sessionId),
  };
}

/** Tries to write a send to the log before the send answers anyway (about 5 s in all). */
const sentLogAttempts = 10;
const sentLogRetryMs = 100;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
