import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { createPostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { readModelDb } from './read-model-db.js';

const sessionId = '6d1f6c2a-3b9e-4a57-8f0e-1c2d3e4f5a6b';
let testDb: MigratedTestDatabase;

beforeAll(async () => {
  testDb = await openMigratedTestDatabase('postgres', 'idempotency');
});
afterAll(async () => {
  await testDb?.dispose();
});

const claim = (messageId: string, claimedAt: Date) => ({
  requestHash: 'h',
  messageId,
  chatJid: '5511988887777@c.us',
  claimedAt,
});

describe('postgres idempotency store', () => {
  it('answers the first claim, with its time, to a replay', async () => {
    const store = createPostgresIdempotencyStore(readModelDb(testDb.database.db));
    const first = new Date('2026-01-01T10:00:00.123Z');
    expect(
      await store.claim(sessionId, 'replayed', claim('00000000-0000-4000-8000-000000000001', first)),
    ).toEqual({
      claimed: true,
    });
    expect(
      await store.claim(sessionId, 'replayed', claim('00000000-0000-4000-8000-000000000002', new Date())),
    ).toEqual({ claimed: false, earlier: claim('00000000-0000-4000-8000-000000000001', first) });
  });

  it('lets a key be claimed again once its claim is purged (older than 7 days)', async () => {
    const db = readModelDb(testDb.database.db);
    const longAgo = new Date(Date.now() - 8 * 86_400_000);
    await createPostgresIdempotencyStore(db).claim(
      sessionId,
      'purged',
      claim('00000000-0000-4000-8000-000000000003', longAgo),
    );
    // A store that has not purged yet purges on its first claim.
    const later = createPostgresIdempotencyStore(db);
    expect(
      await later.claim(sessionId, 'purged', claim('00000000-0000-4000-8000-000000000004', new Date())),
    ).toEqual({ claimed: true });
  });
});
