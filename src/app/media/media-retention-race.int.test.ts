import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../test-support/test-databases.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import { silentLogger } from '../../logger.js';
import type { CommandHandler } from '../command-handler.js';
import { createMediaRetention, type FileCarrier } from './media-retention.js';

const day = 24 * 60 * 60 * 1000;

/**
 * A retention sweep and a new message with the same content (kept once per company) at the same time: the
 * sweep has found the file old and carried only by old messages, then the new message's download keeps the same
 * content again (a no-op put of bytes kept already) before the sweep deletes it. The new message must keep it.
 */
describe.each(databaseKinds)('media retention racing a new message with the same content on %s', (kind) => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'retention-race');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('never deletes a file a message that arrived during the sweep keeps again', async () => {
    const db = testDb.database.db;
    const blobs = createPostgresBlobStore(db);
    const data = Buffer.from('the same photo, forwarded again');
    const sha256 = createHash('sha256').update(data).digest('hex');
    await blobs.put('acme', { sha256, mimetype: 'image/jpeg', data });
    await sql`update media_blobs set created_at = now() - interval '40 days' where sha256 = ${sha256}`.execute(
      db,
    );
    const oldCarrier: FileCarrier = {
      sessionId: 's1',
      chatJid: '5511988887777@c.us',
      waMessageId: 'old',
      waTimestamp: Math.floor((Date.now() - 40 * day) / 1000),
      outgoing: false,
    };
    const recorded: string[] = [];
    const retention = createMediaRetention({
      handle: ((_type: unknown, _stream: string, command: { waMessageId: string }) => {
        recorded.push(command.waMessageId);
        return Promise.resolve({});
      }) as unknown as CommandHandler,
      blobs,
      retentionDays: 30,
      carriersOf: async () => {
        // The new message's download, between the sweep's look at the carriers and its delete; its
        // MediaDownloaded is not recorded yet, so the sweep sees only the old message.
        await blobs.put('acme', { sha256, mimetype: 'image/jpeg', data });
        return [oldCarrier];
      },
      isProfilePicture: () => Promise.resolve(false),
      logger: silentLogger,
    });

    expect(await retention.sweep()).toEqual({ deleted: 0, kept: 1 });
    expect(recorded).toEqual(['old']);
    expect(await blobs.stat('acme', sha256)).toEqual({ mimetype: 'image/jpeg', size: data.length });
  });
});
