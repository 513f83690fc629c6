import type { ChatCommand } from './chat-commands.js';
import type { ChatEvent } from './chat-events.js';
import { GroupCommandOutsideGroupError } from './chat-errors.js';

type GroupCommand = Extract<
  ChatCommand,
  { type: 'RecordGroupCreated' | 'RecordGroupParticipantsUpdate' | 'RecordGroupLeft' | 'RecordGroupSynced' }
>;

/**
 * What WhatsApp answered to one of the session's group commands, as the group chat's event. The command is made
 * after WhatsApp carried it out, so there is nothing left to decide: only that the chat is a group, and that an
 * update names someone.
 */
export function recordGroupChange(command: GroupCommand): ChatEvent[] {
  if (!command.chatJid.endsWith('@g.us')) throw new GroupCommandOutsideGroupError(command.chatJid);
  switch (command.type) {
    case 'RecordGroupCreated': {
      const { subject, description, participants } = command;
      return [{ type: 'GroupCreated', data: { subject, description, participants } }];
    }
    case 'RecordGroupParticipantsUpdate':
      if (command.participants.length === 0) return [];
      return [
        {
          type: 'GroupParticipantsUpdated',
          data: { action: command.action, participants: command.participants },
        },
      ];
    case 'RecordGroupLeft':
      return [{ type: 'GroupLeft', data: {} }];
    case 'RecordGroupSynced': {
      const { subject, description, participants } = command;
      return [{ type: 'GroupSynced', data: { subject, description, participants } }];
    }
  }
}
