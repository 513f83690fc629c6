import { randomUUID } from 'node:crypto';
import { systemActor } from '../domain/actor.js';
import type { DistributiveOmit } from '../domain/distributive-omit.js';
import type { SessionCommand } from '../domain/session/session-commands.js';
import { sessionStream, sessionStreamName } from '../domain/session/session-stream.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import type { KeyedQueue } from './keyed-queue.js';

export type UserContext = Pick<CommandContext, 'companyId' | 'actor' | 'correlationId'>;

/**
 * Records a command on a session's stream, in turn with everything else this process writes for that session
 * (the driver's callbacks share `queue`). Without a user's context, the supervisor is the actor.
 */
export function createSessionCommands(handle: CommandHandler, queue: KeyedQueue) {
  return (
    target: { sessionId: string; companyId: string },
    command: DistributiveOmit<SessionCommand, 'sessionId'>,
    context?: UserContext,
  ) =>
    queue.run(`session:${target.sessionId}`, () =>
      handle(
        sessionStream,
        sessionStreamName(target.sessionId),
        { ...command, sessionId: target.sessionId },
        {
          companyId: target.companyId,
          sessionId: target.sessionId,
          actor: context?.actor ?? systemActor('supervisor'),
          correlationId: context?.correlationId ?? randomUUID(),
          causationId: null,
        },
      ),
    );
}
