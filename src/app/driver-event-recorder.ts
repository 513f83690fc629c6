import type { DistributiveOmit } from '../domain/distributive-omit.js';
import { randomUUID } from 'node:crypto';
import type { DriverCallbacks, DriverStatus } from '../adapters/whatsapp/port.js';
import { whatsappActor } from '../domain/actor.js';
import type { ChatCommand } from '../domain/chat/chat-commands.js';
import { replaceNulCharacters } from '../domain/nul-characters.js';
import { chatStreamName } from '../domain/chat/chat-stream.js';
import { sessionStreamName } from '../domain/session/session-stream.js';
import type { SessionCommand } from '../domain/session/session-commands.js';
import type { Logger } from '../logger.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import type { KeyedQueue } from './keyed-queue.js';
import { recordDurably } from './durable-fact-recording.js';
import type { Fact, FactSpool } from './fact-spool.js';
import { idleIntake, type IntakeLoad } from './intake-load.js';

export interface RecorderTarget {
  sessionId: string;
  companyId: string;
  /** Differs for each start of the driver, so that QR attempt 1 of a later start is a new fact. */
  startId: string;
}

/**
 * Turns what a driver reports into commands on the session's and chats' streams, in the order reported per
 * stream. Facts from WhatsApp carry a fact key, so a callback delivered twice is stored once.
 */
export function createDriverEventRecorder(
  deps: {
    handle: CommandHandler;
    queue: KeyedQueue;
    logger: Logger;
    clock: () => Date;
    spool: FactSpool;
    stopping: () => boolean;
    /** Counts the facts being recorded, so that background work yields to them, and says when it is behind. */
    intake?: IntakeLoad;
  },
  target: RecorderTarget,
  observe: {
    status(status: DriverStatus): void;
    qr(code: string, attempt: number): void;
    pairing(code: string): void;
  },
): DriverCallbacks {
  const { queue, logger, clock } = deps;
  const intake = deps.intake ?? idleIntake;
  const { sessionId, companyId, startId } = target;
  // Every report gets a fact key (made up when WhatsApp gives none), so that recording it again after a failure
  // whose outcome was unknown (a dropped connection at commit) stores it once.
  const context = (factKey = `report:${randomUUID()}`): CommandContext => ({
    companyId,
    sessionId,
    actor: whatsappActor(sessionId),
    correlationId: randomUUID(),
    causationId: null,
    factKey,
  });
  // Settles once recorded (or, with the store out of reach, spooled and retried in the stream's turn), so that
  // whoever waits for a report (the simulator's routes, a start waiting for its QR code) reads it afterwards
  // from any process.
  // While the process is behind WhatsApp, a fact is also written to the spool as it arrives, so that it survives
  // a crash while it waits in memory.
  const record = (key: string, fact: Fact): Promise<void> => {
    const spooled = intake.behind() ? deps.spool.add(fact) : undefined;
    return intake.track(queue.run(key, () => recordDurably(fact, deps, spooled))).then(
      () => undefined,
      (error: unknown) =>
        logger.error(
          { err: error, sessionId, what: fact.command.type },
          `Could not record ${fact.command.type}`,
        ),
    );
  };
  // What WhatsApp reports is kept even when it holds U+0000, which PostgreSQL cannot store: it is replaced
  // (with U+FFFD) here, where every driver's reports pass, rather than the message being lost.
  const onSession = (reported: DistributiveOmit<SessionCommand, 'sessionId'>, factKey?: string) => {
    const command = replaceNulCharacters(reported);
    return record(`session:${sessionId}`, {
      category: 'session',
      streamName: sessionStreamName(sessionId),
      command: { ...command, sessionId },
      context: context(factKey),
    });
  };
  const onChat = (reportedJid: string, reported: Parameters<typeof chatCommand>[2], factKey: string) => {
    const [chatJid, command] = replaceNulCharacters([reportedJid, reported] as const);
    return record(`chat:${sessionId}:${chatJid}`, {
      category: 'chat',
      streamName: chatStreamName(sessionId, chatJid),
      command: chatCommand(sessionId, chatJid, command),
      context: context(factKey),
    });
  };

  // Attempts start again at 1 after the phone unlinks: each round of QR codes is a new fact.
  let qrRound = 0;
  let lastAttempt = 0;
  // The session's own JID, as its last connect told it: a report of it removed from a group means it left.
  let ownJid: string | undefined;

  function recordStatus(status: DriverStatus): Promise<void> {
    switch (status.type) {
      case 'connecting':
        return onSession({ type: 'RecordConnecting', restoring: status.restoring });
      case 'connected':
        return onSession({ type: 'RecordConnected', waId: status.waId, phoneNumber: status.phoneNumber });
      case 'disconnected':
        return onSession({ type: 'RecordDisconnected', reason: status.reason, loggedOut: status.loggedOut });
      case 'failed':
        return onSession({ type: 'RecordFailure', reason: status.reason, retryable: status.retryable });
    }
  }

  return {
    onQrCode({ code, attempt }) {
      if (attempt <= lastAttempt) qrRound += 1;
      lastAttempt = attempt;
      return onSession(
        { type: 'RecordQrCode', qrCode: code, attempt, issuedAt: clock() },
        `qr:${startId}:${qrRound}:${attempt}`,
      ).then(() => observe.qr(code, attempt));
    },
    onPairingCode({ code, phoneNumber }) {
      return onSession(
        { type: 'RecordPairingCode', pairingCode: code, phoneNumber, issuedAt: clock() },
        `pairing:${startId}:${code}`,
      ).then(() => observe.pairing(code));
    },
    onStatus(status) {
      if (status.type === 'connected') ownJid = status.waId;
      return recordStatus(status).then(() => observe.status(status));
    },
    onMessage(message) {
      const { chatJid, media, ...rest } = message;
      // Media files are not downloaded yet: the event keeps their description, with no location.
      const described = media ? { ...media, location: null } : null;
      return onChat(
        chatJid,
        { type: 'RecordIncomingMessage', message: { ...rest, media: described } },
        message.waMessageId,
      );
    },
    onAck({ waMessageId, chatJid, ack }) {
      return onChat(chatJid, { type: 'RecordAck', waMessageId, ack }, `${waMessageId}:ack:${ack}`);
    },
    onRevoked({ waMessageId, chatJid }) {
      return onChat(chatJid, { type: 'RecordRevoke', waMessageId }, `${waMessageId}:revoke`);
    },
    onEdited({ waMessageId, chatJid, body, editedAt }) {
      return onChat(
        chatJid,
        { type: 'RecordEdit', waMessageId, body, editedAt },
        `${waMessageId}:edit:${editedAt}`,
      );
    },
    onReaction({ chatJid, ...reaction }) {
      // The reaction's id stays the same when it is changed or taken back: the emoji tells the facts apart.
      const factKey = `${reaction.reactionId}:reaction:${reaction.emoji}:${reaction.timestamp}`;
      return onChat(chatJid, { type: 'RecordReaction', ...reaction }, factKey);
    },
    onPollVote({ chatJid, ...vote }) {
      // A voter who changes their mind within the same second casts a new vote: the options tell them apart.
      const factKey = `${vote.waMessageId}:vote:${vote.from}:${vote.timestamp}:${JSON.stringify(vote.selectedOptions)}`;
      return onChat(chatJid, { type: 'RecordPollVote', ...vote }, factKey);
    },
    onParticipantsChanged(change) {
      // WhatsApp gives such a change no id or time of its own: each report is a new fact.
      const recorded = onSession({ type: 'RecordParticipantsChange', ...change });
      const selfGone =
        (change.action === 'remove' || change.action === 'leave') &&
        ownJid !== undefined &&
        change.participants.some((jid) => sameUser(jid, ownJid!));
      if (!selfGone) return recorded;
      const left = onChat(change.groupJid, { type: 'RecordGroupLeft' }, `report:${randomUUID()}`);
      return Promise.all([recorded, left]).then(() => undefined);
    },
    onIncomingCall(call) {
      return onSession({ type: 'RecordIncomingCall', ...call }, `call:${call.callId}`);
    },
    onLidMapped({ lid, phoneJid }) {
      return onSession({ type: 'RecordLidMapping', lid, phoneJid }, `lid:${lid}:${phoneJid}`);
    },
  };
}

/** The same WhatsApp user, whichever server suffix (`@c.us`, `@s.whatsapp.net`) and device each JID names. */
const sameUser = (a: string, b: string): boolean => userOf(a) === userOf(b);
const userOf = (jid: string): string => jid.split('@')[0]!.split(':')[0]!;

function chatCommand(
  sessionId: string,
  chatJid: string,
  command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>,
): ChatCommand {
  return { ...command, sessionId, chatJid };
}
