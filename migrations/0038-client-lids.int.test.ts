import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../test-support/test-databases.js';
import { down, up } from './0038-client-lids.js';

describe.each(databaseKinds)('migration 0038 (Client_Lids) on %s', (kind) => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'client-lids-migration');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('fills the table from the mappings the session logs hold, the newest per id, erased ones left out', async () => {
    const db = testDb.database.db as unknown as Kysely<unknown>;
    const line = (company: string, lid: string, phoneJid: string, at: string) =>
      sql`insert into "Session_Logs"
          ("Id", "Session_Id", "Company_Id", "Level", "Event_Type", "Message", "Metadata", "Created_At")
        values (${randomUUID()}, ${randomUUID()}, ${company}, 'info', 'ContactLidMapped', 'mapping',
          ${JSON.stringify({ lid, phoneJid })}::jsonb, ${at}::timestamptz)`.execute(db);
    await down(db);
    await line('acme', '201234567890123@lid', '5511988880001@c.us', '2026-11-01T10:00:00Z');
    // The same id learned again later, for another number (the number changed): the newer one wins.
    await line('acme', '201234567890123@lid', '5511988880002@c.us', '2026-11-02T10:00:00Z');
    await line('globex', '201234567890123@lid', '5511988880009@c.us', '2026-11-01T10:00:00Z');
    // An erased contact's line keeps no number.
    await line('acme', '209999999999999@lid', '', '2026-11-03T10:00:00Z');

    await up(db);
    await up(db);
    const { rows } = await sql`select "Company_Id", "Lid", "Phone" from "Client_Lids"
      order by "Company_Id", "Lid"`.execute(db);
    expect(rows).toEqual([
      { Company_Id: 'acme', Lid: '201234567890123@lid', Phone: '5511988880002' },
      { Company_Id: 'globex', Lid: '201234567890123@lid', Phone: '5511988880009' },
    ]);
  });
});
