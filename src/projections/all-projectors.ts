import { chatsProjector } from './chats/chats-projector.js';
import { clientsProjector } from './clients/clients-projector.js';
import { groupsProjector } from './groups/groups-projector.js';
import { messagesProjector } from './messages/messages-projector.js';
import { eraseChat, eraseClient, eraseMessages } from './privacy/chat-erasure.js';
import { eraseGroupMember } from './privacy/group-member-erasure.js';
import { eraseSessionLogs } from './privacy/session-log-erasure.js';
import { withChatErasure } from './privacy/with-chat-erasure.js';
import type { Projector } from './projector.js';
import { sessionLogsProjector } from './session-logs/session-logs-projector.js';
import { sessionsProjector } from './sessions/sessions-projector.js';

export const allProjectors: readonly Projector[] = [
  sessionsProjector,
  withChatErasure(clientsProjector, eraseClient),
  withChatErasure(chatsProjector, eraseChat),
  withChatErasure(messagesProjector, eraseMessages),
  withChatErasure(sessionLogsProjector, eraseSessionLogs),
  withChatErasure(groupsProjector, eraseGroupMember),
];

export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';

  constructor(readonly projection: string) {
    super(`No projection is called ${projection}; there are: ${allProjectors.map((p) => p.name).join(', ')}`);
  }
}

export function projectorsNamed(names: readonly string[] | undefined): Projector[] {
  if (!names?.length) return [...allProjectors];
  return names.map((name) => allProjectors.find((p) => p.name === name) ?? failUnknown(name));
}

function failUnknown(name: string): never {
  throw new UnknownProjectionError(name);
}
