import { NoResponderError, RemoteRequestError } from '../adapters/bus/bus-errors.js';
import { subjectToken, type Bus, type BusSubscription } from '../adapters/bus/port.js';
import type { JsonValue } from '../adapters/event-store/port.js';
import { SessionNotRunningError, type DriverSession, type NumberStatus } from '../adapters/whatsapp/port.js';
import type { CreatedGroup, GroupParticipantsChange } from '../adapters/whatsapp/port.js';
import type { GroupAction } from '../domain/chat/chat-events.js';
import { groupCallError } from './group-call-errors.js';

/** Errors of the owning process that mean "the session is not running (connected) there". */
const notRunning = new Set([
  'SessionNotRunningError',
  'SimulatedSessionStateError',
  'SimulatedSessionNotRunningError',
]);

export interface SessionDriverCallsOptions {
  bus: Bus;
  /** The first token of control subjects (requests are not kept). */
  controlRoot: string;
  /** This process's name on the session leases. */
  owner: string;
  /** The session's driver when it runs in this process. */
  local: (sessionId: string) => DriverSession | undefined;
  /** Which live process runs the session, if any. */
  ownerOf: (sessionId: string) => Promise<string | undefined>;
  timeoutMs?: number;
}

type Call =
  | { method: 'checkNumber'; sessionId: string; phone: string }
  | { method: 'markSeen'; sessionId: string; chatJid: string }
  | { method: 'createGroup'; sessionId: string; subject: string; participants: string[] }
  | {
      method: 'changeGroupParticipants';
      sessionId: string;
      groupJid: string;
      action: GroupAction;
      participants: string[];
    }
  | { method: 'leaveGroup'; sessionId: string; groupJid: string };

/**
 * Calls on a session's WhatsApp connection that are not sends (a number check, a read receipt, group commands), made on the
 * process that runs the session: here when it runs here, else carried to its owner over the bus (request and
 * reply). A session that runs nowhere is refused with SessionNotRunningError.
 */
export function sessionDriverCalls(options: SessionDriverCallsOptions) {
  const subjectOf = (owner: string) => `${options.controlRoot}.driver.${subjectToken(owner)}`;

  async function runHere(call: Call): Promise<JsonValue> {
    const session = options.local(call.sessionId);
    if (!session) throw new SessionNotRunningError(call.sessionId);
    switch (call.method) {
      case 'checkNumber': {
        const { exists, jid } = await session.checkNumber(call.phone);
        return { exists, jid };
      }
      case 'markSeen':
        await session.markSeen(call.chatJid);
        return null;
      case 'createGroup':
        return (await session.createGroup(call.subject, call.participants)) as unknown as JsonValue;
      case 'changeGroupParticipants':
        return (await session.changeGroupParticipants(
          call.groupJid,
          call.action,
          call.participants,
        )) as unknown as JsonValue;
      case 'leaveGroup':
        await session.leaveGroup(call.groupJid);
        return null;
    }
  }

  async function onOwner(call: Call): Promise<JsonValue> {
    if (options.local(call.sessionId)) return runHere(call);
    const owner = await options.ownerOf(call.sessionId);
    if (owner === undefined || owner === options.owner) return runHere(call);
    try {
      return await options.bus.request(subjectOf(owner), call, options.timeoutMs ?? 15_000);
    } catch (error) {
      if (error instanceof NoResponderError) throw new SessionNotRunningError(call.sessionId);
      if (error instanceof RemoteRequestError && notRunning.has(error.remoteName))
        throw new SessionNotRunningError(call.sessionId);
      // The owner's group errors, as the driver there raised them.
      if (error instanceof RemoteRequestError)
        throw groupCallError(error, 'groupJid' in call ? call.groupJid : null);
      throw error;
    }
  }

  return {
    checkNumber: async (sessionId: string, phone: string): Promise<NumberStatus> =>
      (await onOwner({ method: 'checkNumber', sessionId, phone })) as unknown as NumberStatus,
    markSeen: async (sessionId: string, chatJid: string): Promise<void> =>
      void (await onOwner({ method: 'markSeen', sessionId, chatJid })),
    createGroup: async (sessionId: string, subject: string, participants: string[]): Promise<CreatedGroup> =>
      (await onOwner({ method: 'createGroup', sessionId, subject, participants })) as unknown as CreatedGroup,
    changeGroupParticipants: async (
      sessionId: string,
      groupJid: string,
      action: GroupAction,
      participants: string[],
    ): Promise<GroupParticipantsChange> =>
      (await onOwner({
        method: 'changeGroupParticipants',
        sessionId,
        groupJid,
        action,
        participants,
      })) as unknown as GroupParticipantsChange,
    leaveGroup: async (sessionId: string, groupJid: string): Promise<void> =>
      void (await onOwner({ method: 'leaveGroup', sessionId, groupJid })),
    /** Makes this process answer for the sessions it runs. */
    serve: (): Promise<BusSubscription> =>
      options.bus.serve(subjectOf(options.owner), (request) => runHere(request as unknown as Call)),
  };
}

export type SessionDriverCalls = ReturnType<typeof sessionDriverCalls>;
