import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import { createPostgresSentLog } from './postgres-simulator-world.js';

describe('the simulator’s sent log in PostgreSQL', () => {
  let testDb: MigratedTestDatabase;
  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'sent-log');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('keeps an entry written again (its answer lost) once, and the entries in order', async () => {
    const log = createPostgresSentLog(testDb.database.db);
    const entry = (entryId: string, body: string) => ({
      entryId,
      sessionId: 's1',
      waMessageId: `true_5511988887777@c.us_${entryId}`,
      to: '5511988887777@c.us',
      type: 'chat',
      body,
    });
    await log.record(entry('a', 'primeira'));
    await log.record(entry('a', 'primeira'));
    await log.record(entry('b', 'segunda'));
    expect((await log.list('s1')).map((sent) => sent.body)).toEqual(['primeira', 'segunda']);
  });
});
