import { describe, expect, it } from 'vitest';
import { databaseKinds, openMigratedTestDatabase } from '../../../../test-support/test-databases.js';
import { createPostgresLoginBackups } from './login-backups.js';

describe.each(databaseKinds)('login backups on %s', (kind) => {
  it('keeps the latest archive of each session, byte for byte, until it is removed', async () => {
    const testDb = await openMigratedTestDatabase(kind, 'login_backups');
    try {
      const backups = createPostgresLoginBackups(testDb.database.db);
      const archive = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x7f]);
      await backups.save('s1', Buffer.from('older'));
      await backups.save('s1', archive);
      expect(await backups.load('s1')).toEqual(archive);
      expect(await backups.load('s2')).toBeUndefined();
      await backups.remove('s1');
      expect(await backups.load('s1')).toBeUndefined();
    } finally {
      await testDb.dispose();
    }
  });
});
