import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import { countPendingSends } from './messages/pending-sends.js';
import { sessionsByStatus } from './sessions/sessions-by-status.js';

describe.each(databaseKinds)('the queries the metrics scrape, on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  const db = () => readModelDb(testDb.database.db);
  const now = new Date('2026-01-01T00:00:00Z');

  async function session(status: number, options: { leased: boolean; deleted?: boolean }): Promise<string> {
    const id = randomUUID();
    await db()
      .insertInto('Sessions')
      .values({
        Id: id,
        Company_Id: 'company-a',
        Session_Name: id,
        Status: status,
        Desired_State: 'running',
        Created_At: now,
        Updated_At: now,
        Deleted_At: options.deleted ? now : null,
        Last_Revision: '0',
      })
      .execute();
    if (options.leased)
      await sql`insert into session_leases (session_id, owner, expires_at)
        values (${id}, 'process-1', now() + interval '1 minute')`.execute(db());
    return id;
  }

  async function outgoing(status: number, waMessageId: string | null): Promise<void> {
    await db()
      .insertInto('Messages')
      .values({
        Id: randomUUID(),
        Session_Id: randomUUID(),
        Company_Id: 'company-a',
        Chat_Id: '5511988887777@c.us',
        Wa_Message_Id: waMessageId,
        Direction: 'OUT',
        Message_Type: 'chat',
        Body: 'Olá',
        Status: status,
        Wa_Timestamp: '0',
        Sender: '5511900000000@c.us',
        Recipient: '5511988887777@c.us',
        From_Me: true,
        Created_Revision: '0',
        Last_Revision: '0',
      })
      .execute();
  }

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'metric-queries');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('counts sessions by the status the API answers: disconnected once no live process holds the lease', async () => {
    await session(3, { leased: true });
    await session(3, { leased: true });
    await session(2, { leased: true });
    await session(3, { leased: false });
    await session(3, { leased: true, deleted: true });
    const expired = await session(1, { leased: false });
    await sql`insert into session_leases (session_id, owner, expires_at)
      values (${expired}, 'process-gone', now() - interval '1 minute')`.execute(db());
    expect(Object.fromEntries(await sessionsByStatus(db()))).toEqual({
      connected: 2,
      qr: 1,
      disconnected: 2,
    });
  });

  it('counts the sends neither sent nor failed for good', async () => {
    await outgoing(1, null);
    await outgoing(1, null);
    await outgoing(2, 'true_5511988887777@c.us_A1');
    await outgoing(0, null);
    expect(await countPendingSends(db())).toBe(2);
  });

  it.runIf(kind === 'postgres')(
    'counts pending sends over the partial index, not the whole table',
    async () => {
      const plan = await testDb.database.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const { rows } = await sql<{ 'QUERY PLAN': string }>`explain select count(*) from "Messages"
        where "Direction" = 'OUT' and "Wa_Message_Id" is null and "Status" = 1`.execute(trx);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('messages_pending_sends');
    },
  );
});
