import type { CreatedGroup, RefusedParticipant } from '../adapters/whatsapp/port.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import type { ChatCommand } from '../domain/chat/chat-commands.js';
import type { GroupAction } from '../domain/chat/chat-events.js';
import type { DistributiveOmit } from '../domain/distributive-omit.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import type { SessionDriverCalls } from './session-driver-calls.js';

/** A change to a group's members: who to add, remove, promote and demote (applied in that order). */
export type ParticipantsChangeRequest = Partial<Record<GroupAction, string[]>>;

const actionOrder: readonly GroupAction[] = ['add', 'remove', 'promote', 'demote'];

/**
 * The session's group commands: each is carried out by WhatsApp (on the process that runs the session), then what
 * WhatsApp answered is recorded on the group's chat stream, so that once a command answers, the Groups read
 * model and the session's log show it on every process. What WhatsApp refused is not recorded, and is answered.
 */
export function groupCommands(deps: {
  driverCalls: Pick<SessionDriverCalls, 'createGroup' | 'changeGroupParticipants' | 'leaveGroup'>;
  handle: CommandHandler;
}) {
  const record = (
    context: CommandContext,
    groupJid: string,
    command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>,
  ) =>
    deps.handle(
      chatStream,
      chatStreamName(context.sessionId, groupJid),
      { ...command, sessionId: context.sessionId, chatJid: groupJid },
      context,
    );

  return {
    async create(context: CommandContext, subject: string, participants: string[]): Promise<CreatedGroup> {
      const created = await deps.driverCalls.createGroup(context.sessionId, subject, participants);
      await record(context, created.groupJid, {
        type: 'RecordGroupCreated',
        subject,
        description: null,
        participants: created.participants,
      });
      return created;
    },

    /**
     * Each action in turn; an action WhatsApp refused stops the rest, after what was done before it is recorded
     * (it happened).
     */
    async changeParticipants(
      context: CommandContext,
      groupJid: string,
      change: ParticipantsChangeRequest,
    ): Promise<{ refused: (RefusedParticipant & { action: GroupAction })[] }> {
      const refused: (RefusedParticipant & { action: GroupAction })[] = [];
      for (const action of actionOrder) {
        const participants = change[action] ?? [];
        if (participants.length === 0) continue;
        const result = await deps.driverCalls.changeGroupParticipants(
          context.sessionId,
          groupJid,
          action,
          participants,
        );
        await record(context, groupJid, {
          type: 'RecordGroupParticipantsUpdate',
          action,
          participants: result.changed,
        });
        refused.push(...result.refused.map((r) => ({ ...r, action })));
      }
      return { refused };
    },

    async leave(context: CommandContext, groupJid: string): Promise<void> {
      await deps.driverCalls.leaveGroup(context.sessionId, groupJid);
      await record(context, groupJid, { type: 'RecordGroupLeft' });
    },
  };
}

export type GroupCommands = ReturnType<typeof groupCommands>;
