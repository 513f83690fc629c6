import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { groupIdFor } from './group-rows.js';

export interface GroupView {
  id: string;
  subject: string | null;
  description: string | null;
  participants: { jid: string; isAdmin: boolean }[];
}

/** The groups the session is in, by subject. */
export async function sessionGroups(db: Kysely<ReadModelSchema>, sessionId: string): Promise<GroupView[]> {
  const rows = await db
    .selectFrom('Groups')
    .select(['Group_Id', 'Subject', 'Description', 'Participants'])
    .where('Session_Id', '=', sessionId)
    .where('Is_Member', '=', true)
    .orderBy('Subject')
    .orderBy('Group_Id')
    .execute();
  return rows.map(groupView);
}

/** One group of the session, while the session is in it. */
export async function sessionGroup(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  groupJid: string,
): Promise<GroupView | undefined> {
  const row = await db
    .selectFrom('Groups')
    .select(['Group_Id', 'Subject', 'Description', 'Participants'])
    .where('Id', '=', groupIdFor(sessionId, groupJid))
    .where('Is_Member', '=', true)
    .executeTakeFirst();
  return row && groupView(row);
}

function groupView(row: {
  Group_Id: string;
  Subject: string | null;
  Description: string | null;
  Participants: { jid: string; isAdmin: boolean }[];
}): GroupView {
  return {
    id: row.Group_Id,
    subject: row.Subject,
    description: row.Description,
    participants: row.Participants,
  };
}
