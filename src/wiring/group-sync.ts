import { randomUUID } from 'node:crypto';
import type { CommandHandler } from '../app/command-handler.js';
import { watchConnectedHere } from '../app/connected-here.js';
import type { SessionSupervisor } from '../app/session-supervisor.js';
import { whatsappActor } from '../domain/actor.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import { groupsToSync, type KnownGroup } from '../domain/groups/group-sync.js';
import type { Logger } from '../logger.js';
import type { EventStorage } from './event-storage.js';

/**
 * When a session connects on the process that runs it, its groups as WhatsApp lists them (WPPConnect's
 * `getAllGroups`) are compared with the Groups read model, and each group that differs is recorded as
 * `GroupSynced` on its chat stream. In the background: ingest never waits for it; a failure is logged, and the
 * next connect tries again.
 */
export function wireGroupSync(
  storage: EventStorage,
  deps: { handle: CommandHandler; supervisor: SessionSupervisor; logger: Logger },
) {
  const { db, committed } = storage;
  const { handle, supervisor, logger } = deps;
  const running = new Set<string>();

  async function sync(sessionId: string, companyId: string, causationId: string | null): Promise<void> {
    const driver = supervisor.driverSession(sessionId);
    if (!driver) return;
    const listed = await driver.listGroups();
    const rows = await db
      .selectFrom('Groups')
      .select([
        'Group_Id',
        'Subject',
        'Description',
        'Participants',
        'Is_Member',
        'Last_Chat_Revision',
        'Last_Session_Revision',
      ])
      .where('Session_Id', '=', sessionId)
      .execute();
    const known = new Map<string, KnownGroup>(
      rows.map((row) => [
        row.Group_Id,
        {
          subject: row.Subject,
          description: row.Description,
          participants: row.Participants,
          isMember: row.Is_Member,
          chatRevision: row.Last_Chat_Revision,
          sessionRevision: row.Last_Session_Revision,
        },
      ]),
    );
    const correlationId = randomUUID();
    for (const group of groupsToSync(listed, known)) {
      const { groupJid, subject, description, participants, factKey } = group;
      await handle(
        chatStream,
        chatStreamName(sessionId, groupJid),
        { type: 'RecordGroupSynced', sessionId, chatJid: groupJid, subject, description, participants },
        { companyId, sessionId, actor: whatsappActor(sessionId), correlationId, causationId, factKey },
      );
    }
  }

  watchConnectedHere(committed, supervisor, (event, sessionId) => {
    const { companyId } = event.metadata as { companyId?: string };
    if (!companyId || running.has(sessionId)) return;
    running.add(sessionId);
    void sync(sessionId, companyId, event.id)
      .catch((error: unknown) =>
        logger.warn({ err: error, sessionId }, 'Could not sync the groups of the session'),
      )
      .finally(() => running.delete(sessionId));
  });
}
