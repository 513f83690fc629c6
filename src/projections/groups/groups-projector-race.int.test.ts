import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { GatewayEvent, ProjectedEvent } from '../projected-event.js';
import { groupsProjector } from './groups-projector.js';

const sessionId = randomUUID();
const groupJid = '120363000000000999@g.us';
const own = '5511900000000@c.us';
const ana = '5511966665555@c.us';

function projected(
  streamName: string,
  revision: bigint,
  event: GatewayEvent,
  recordedAt: string,
): ProjectedEvent {
  return {
    ...event,
    id: randomUUID(),
    streamName,
    revision,
    position: 0n,
    checkpoint: '0',
    metadata: {
      eventId: randomUUID(),
      companyId: 'company-a',
      sessionId,
      correlationId: randomUUID(),
      causationId: null,
      actor: { type: 'whatsapp', id: own },
      recordedAt,
      schemaVersion: 1,
    },
  };
}

// Two processes project inline, each in its own transaction: one the group the session created (its chat
// stream), the other a member WhatsApp reports joining it (the session stream), both before any row exists.
describe('the Groups projector with two transactions on a new group', () => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'groups-race');
  });

  afterAll(async () => {
    await testDb?.dispose();
  });

  it('keeps what both transactions applied', async () => {
    const db = readModelDb(testDb.database.db);
    const created = projected(
      `chat-${sessionId}_${groupJid}`,
      0n,
      {
        type: 'GroupCreated',
        data: { subject: 'Fornecedores', description: null, participants: [{ jid: own, isAdmin: true }] },
      },
      '2026-12-01T10:00:01.000Z',
    );
    const joined = projected(
      `session-${sessionId}`,
      7n,
      {
        type: 'GroupParticipantsChanged',
        data: { groupJid, action: 'add', participants: [ana], by: null },
      },
      // WhatsApp's report is older than the creation's record, though it is applied second.
      '2026-12-01T10:00:00.000Z',
    );

    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstProjected!: () => void;
    const firstHasProjected = new Promise<void>((resolve) => (firstProjected = resolve));
    const first = db.transaction().execute(async (tx) => {
      await groupsProjector.project(tx, [created]);
      firstProjected();
      await firstMayCommit;
    });
    await firstHasProjected;
    const second = db.transaction().execute((tx) => groupsProjector.project(tx, [joined]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    releaseFirst();
    await Promise.all([first, second]);

    const [row] = await db.selectFrom('Groups').selectAll().where('Group_Id', '=', groupJid).execute();
    expect(row).toMatchObject({
      Subject: 'Fornecedores',
      Last_Chat_Revision: '0',
      Last_Session_Revision: '7',
    });
    expect(row!.Participants).toEqual(
      expect.arrayContaining([
        { jid: own, isAdmin: true },
        { jid: ana, isAdmin: false },
      ]),
    );
    // Created at the earlier event and updated at the later one, whichever transaction applied first.
    expect(row!.Created_At).toEqual(new Date(joined.metadata.recordedAt));
    expect(row!.Updated_At).toEqual(new Date(created.metadata.recordedAt));
  });
});
