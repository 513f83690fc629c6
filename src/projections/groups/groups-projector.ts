import { sql } from 'kysely';
import { inChunks } from '../in-rounds.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { Projector, ReadModelWriter } from '../projector.js';
import { applyToGroup, groupIdFor, groupOf, newGroupRow, type GroupRow } from './group-rows.js';

/**
 * One row per group of a session: its subject, description and members with their admin flags, from the group's
 * chat stream (messages, and what the session's group commands did) and the session's stream (WhatsApp's
 * reports of members joining, leaving, promoted, demoted).
 */
export const groupsProjector: Projector = {
  name: 'groups',
  tables: ['Groups'],

  // The batch's groups are read once (locked, as two processes' inline projections may change one group), the
  // events folded into them in order, and the changed rows written back.
  async project(db, events) {
    const touched = events.flatMap((event) => {
      const group = groupOf(event);
      return group ? [{ event, ...group }] : [];
    });
    if (touched.length === 0) return;
    const firstSeen = new Map<string, GroupRow>();
    for (const { event, groupJid } of touched) {
      const id = key(event, groupJid);
      if (!firstSeen.has(id)) firstSeen.set(id, newGroupRow(event, groupJid));
    }
    const rows = await lockedRows(db, [...firstSeen.values()]);
    const changed = new Set<string>();
    // Another transaction may have created the row from a later event: the earliest event names its creation.
    for (const [id, seen] of firstSeen) {
      const row = rows.get(id)!;
      if (new Date(seen.Created_At) >= new Date(row.Created_At)) continue;
      rows.set(id, { ...row, Created_At: seen.Created_At });
      changed.add(id);
    }
    for (const { event, groupJid, stream } of touched) {
      const id = key(event, groupJid);
      const before = rows.get(id)!;
      const after = applyToGroup(before, event, stream);
      if (after === before) continue;
      rows.set(id, after);
      changed.add(id);
    }
    await writeRows(
      db,
      [...changed].sort().map((id) => rows.get(id)!),
    );
  },
};

const key = (event: ProjectedEvent, groupJid: string) => groupIdFor(event.metadata.sessionId, groupJid);

/**
 * Every group of the batch, locked. A group seen for the first time is inserted empty first: two transactions
 * that both found no row would otherwise each fold their events into an empty group, and the later write would
 * drop the earlier one's changes. The insert waits for the other's row instead, and the lock then reads it.
 */
async function lockedRows(db: ReadModelWriter, firstSeen: GroupRow[]): Promise<Map<string, GroupRow>> {
  const inOrder = [...firstSeen].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  for (const chunk of inChunks(inOrder, 500)) {
    await db
      .insertInto('Groups')
      .values(chunk.map((row) => ({ ...row, Participants: JSON.stringify(row.Participants) })))
      .onConflict((oc) => oc.column('Id').doNothing())
      .execute();
  }
  const ids = inOrder.map((row) => row.Id);
  const rows = new Map<string, GroupRow>();
  for (const chunk of inChunks(ids, 1000)) {
    const found = await db.selectFrom('Groups').selectAll().where('Id', 'in', chunk).forUpdate().execute();
    for (const row of found) rows.set(row.Id, row);
  }
  return rows;
}

async function writeRows(db: ReadModelWriter, rows: GroupRow[]): Promise<void> {
  for (const row of rows) {
    const values = { ...row, Participants: JSON.stringify(row.Participants) };
    await db
      .insertInto('Groups')
      .values(values)
      .onConflict((oc) =>
        oc.column('Id').doUpdateSet({
          Created_At: values.Created_At,
          Subject: values.Subject,
          Description: values.Description,
          Participants: sql`${values.Participants}::jsonb`,
          Is_Member: values.Is_Member,
          Updated_At: values.Updated_At,
          Last_Chat_Revision: values.Last_Chat_Revision,
          Last_Session_Revision: values.Last_Session_Revision,
        }),
      )
      .execute();
  }
}
