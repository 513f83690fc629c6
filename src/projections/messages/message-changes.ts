import { sql, type Updateable } from 'kysely';
import type { MessagesTable } from '../../adapters/db/read-model-schema.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { ReadModelWriter } from '../projector.js';

type ChangeType = 'MessageEdited' | 'MessageReacted' | 'PollVoted' | 'MessageRevoked';
export type ChangeEvent = Extract<ProjectedEvent, { type: ChangeType }>;
type Change = ChangeEvent extends infer E
  ? E extends ChangeEvent
    ? Pick<E, 'type' | 'data'>
    : never
  : never;

const changeTypes = new Set<string>(['MessageEdited', 'MessageReacted', 'PollVoted', 'MessageRevoked']);
export const isChange = (event: ProjectedEvent): event is ChangeEvent => changeTypes.has(event.type);

/** What a change does to its message's row. */
function changeSet(change: Change): Updateable<MessagesTable> {
  switch (change.type) {
    case 'MessageEdited':
      return { Body: change.data.body, Edited_At: String(change.data.editedAt) };
    case 'MessageReacted': {
      const { from, emoji, timestamp } = change.data;
      // A reaction whose author was erased reads as no one's: it adds nothing (privacy/chat-erasure.ts takes it
      // out of the rows live the same way).
      if (from === '') return { Reactions: sql`coalesce("Reactions", '{}'::jsonb)` as never };
      // The latest reaction of each sender; an empty emoji takes it back.
      const reactions = emoji
        ? sql`coalesce("Reactions", '{}'::jsonb) || jsonb_build_object(${from}::text, jsonb_build_object('emoji', ${emoji}::text, 'timestamp', ${timestamp}::bigint))`
        : sql`coalesce("Reactions", '{}'::jsonb) - ${from}::text`;
      return { Reactions: reactions as never };
    }
    case 'PollVoted': {
      const { from, selectedOptions } = change.data;
      if (from === '') return { Poll_Votes: sql`coalesce("Poll_Votes", '{}'::jsonb)` as never };
      return {
        Poll_Votes:
          sql`coalesce("Poll_Votes", '{}'::jsonb) || jsonb_build_object(${from}::text, ${JSON.stringify(selectedOptions)}::jsonb)` as never,
      };
    }
    case 'MessageRevoked':
      return { Is_Revoked: true };
  }
}

/**
 * How long a change waits for its message. WhatsApp's servers keep a message that could not be delivered for 30
 * days, then drop it; a change whose message has not come by then never will, and is forgotten, so that the
 * table stays bounded.
 */
export const earlyChangeMaxAgeDays = 30;

const messageOf = (db: ReadModelWriter, sessionId: string, waMessageId: string) =>
  db.updateTable('Messages').where('Session_Id', '=', sessionId).where('Wa_Message_Id', '=', waMessageId);

/**
 * Applies a change to its message, once (guarded by the stream's revision). A change that arrives before its
 * message is kept in Early_Message_Changes, to be applied when the message comes.
 */
export async function applyChange(db: ReadModelWriter, event: ChangeEvent): Promise<void> {
  const { sessionId } = event.metadata;
  const { waMessageId } = event.data;
  const revision = event.revision.toString();
  const updated = await messageOf(db, sessionId, waMessageId)
    .set({ ...changeSet(event), Last_Revision: revision })
    .where('Last_Revision', '<', revision)
    .executeTakeFirst();
  if (updated.numUpdatedRows > 0n) return;
  const known = await db
    .selectFrom('Messages')
    .select('Id')
    .where('Session_Id', '=', sessionId)
    .where('Wa_Message_Id', '=', waMessageId)
    .executeTakeFirst();
  if (known) return; // applied already
  await db
    .insertInto('Early_Message_Changes')
    .values({
      Id: event.id,
      Session_Id: sessionId,
      Wa_Message_Id: waMessageId,
      Event_Type: event.type,
      Data: JSON.stringify(event.data),
      Revision: revision,
      Recorded_At: event.metadata.recordedAt,
      Chat_Id: event.streamName.slice(`chat-${sessionId}_`.length),
    })
    .onConflict((oc) => oc.column('Id').doNothing())
    .execute();
  await forgetStaleChanges(db, sessionId, new Date(event.metadata.recordedAt));
}

/**
 * Forgets the session's early changes older than `earlyChangeMaxAgeDays` before `now`, the time of the change
 * just kept (an event's time, not the clock's, so that a rebuild forgets the same rows). A row with no age (kept
 * before migration 0024, in a database without the event store) is kept.
 */
async function forgetStaleChanges(db: ReadModelWriter, sessionId: string, now: Date): Promise<void> {
  const limit = new Date(now.getTime() - earlyChangeMaxAgeDays * 24 * 3600 * 1000);
  await db
    .deleteFrom('Early_Message_Changes')
    .where('Session_Id', '=', sessionId)
    .where('Recorded_At', '<=', limit)
    .execute();
}

/**
 * Applies the changes that arrived before these messages, in the order they happened, and forgets them. The
 * message's row is newer than each of them, so they apply unguarded; applying the message again finds none.
 */
export async function applyEarlyChanges(
  db: ReadModelWriter,
  messages: readonly { sessionId: string; waMessageId: string }[],
): Promise<void> {
  if (messages.length === 0) return;
  const keys = new Set(messages.map(({ sessionId, waMessageId }) => `${sessionId}|${waMessageId}`));
  const early = await db
    .selectFrom('Early_Message_Changes')
    .selectAll()
    .where('Wa_Message_Id', 'in', [...new Set(messages.map((m) => m.waMessageId))])
    .orderBy('Revision')
    .execute();
  for (const row of early) {
    if (!keys.has(`${row.Session_Id}|${row.Wa_Message_Id}`)) continue;
    const change = { type: row.Event_Type, data: row.Data } as Change;
    await messageOf(db, row.Session_Id, row.Wa_Message_Id).set(changeSet(change)).execute();
    await db.deleteFrom('Early_Message_Changes').where('Id', '=', row.Id).execute();
  }
}
