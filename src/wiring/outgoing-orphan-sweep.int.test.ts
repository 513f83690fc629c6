import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import { createPostgresMediaStore } from '../adapters/db/postgres-media-store.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startOutgoingOrphanSweep } from './outgoing-orphan-sweep.js';

/**
 * send-media saves its file, then records the send (whose Messages row refers to it). A process killed between
 * the two leaves a file nothing refers to; one process of the cluster deletes such files once they are older
 * than MEDIA_ORPHAN_GRACE_MS, and never a file a message refers to or one saved within the grace period.
 */
describe.each(databaseKinds)('send-media files left by a crash on %s', (kind) => {
  let testDb: MigratedTestDatabase;
  let db: Kysely<ReadModelSchema>;
  const sessionId = randomUUID();
  const file = (name: string) => ({
    data: Buffer.from(`%PDF-1.4 ${name}`),
    mimetype: 'application/pdf',
    fileName: name,
  });
  const kept = async () =>
    (
      await sql<{ file_name: string }>`select file_name from media_files order by file_name`.execute(db)
    ).rows.map((row) => row.file_name);
  const saveAged = async (name: string, agedMs: number) => {
    const saved = await createPostgresMediaStore(db).save(sessionId, file(name));
    await sql`update media_files set created_at = now() - ${`${agedMs} milliseconds`}::interval
      where id = ${saved.location.slice('db:'.length)}::uuid`.execute(db);
    return saved.location;
  };
  const referTo = (location: string) =>
    sql`insert into "Messages" ("Id", "Session_Id", "Company_Id", "Chat_Id", "Direction", "Message_Type",
        "Media_Location", "Status", "Wa_Timestamp", "Sender", "Recipient", "From_Me", "Created_Revision",
        "Last_Revision")
      values (${randomUUID()}, ${sessionId}, 'acme', '5511988887777@c.us', 'OUT', 'document', ${location}, 1, 0,
        '', '5511988887777@c.us', true, 1, 1)`.execute(db);

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'outgoing-orphans');
    db = readModelDb(testDb.database.db);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('deletes a file no message refers to once it is older than the grace period, and only such files', async () => {
    const hour = 3_600_000;
    await saveAged('cut-short.pdf', 2 * hour);
    await referTo(await saveAged('sent.pdf', 2 * hour));
    await saveAged('being-sent.pdf', 0);
    await saveAged('replayed.pdf', 2 * hour);
    // A replay of its request saves it again, then records the send: it is as new as the replay.
    await createPostgresMediaStore(db).save(sessionId, file('replayed.pdf'));
    const sweep = await startOutgoingOrphanSweep({
      config: loadConfig({ MEDIA_ORPHAN_GRACE_MS: String(hour) }),
      db,
      owner: 'this-process',
      logger: silentLogger,
    });
    try {
      await eventually(async () =>
        expect(await kept()).toEqual(['being-sent.pdf', 'replayed.pdf', 'sent.pdf']),
      );
    } finally {
      await sweep.end();
    }
  });
});
