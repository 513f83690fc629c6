import { sql } from 'kysely';
import type { ReadModelWriter } from '../projector.js';
import { erasedChatOf, type ChatErasedEvent } from './chat-erasure.js';

/**
 * The erased contact leaves the member lists of the session's groups, as a rebuild reads them: its id in every
 * membership event stored before the erasure reads as '' (domain/privacy/member-fields.ts), which the groups
 * projector skips. A membership event after the erasure (WhatsApp still lists the contact) is new data, and
 * names it again, live and in a rebuild.
 */
export async function eraseGroupMember(db: ReadModelWriter, event: ChatErasedEvent): Promise<void> {
  const { sessionId, chatJid } = erasedChatOf(event);
  if (chatJid.endsWith('@g.us')) return;
  await db
    .updateTable('Groups')
    .set({
      Participants: sql`coalesce(
        (select jsonb_agg(member order by position) from jsonb_array_elements("Participants")
          with ordinality as members(member, position) where member->>'jid' <> ${chatJid}),
        '[]'::jsonb)` as never,
    })
    .where('Session_Id', '=', sessionId)
    .where(sql<boolean>`"Participants" @> ${JSON.stringify([{ jid: chatJid }])}::jsonb`)
    .execute();
}
