import { randomBytes, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../test-support/test-databases.js';
import { blobStoreContract } from '../media/blob-store.contract.js';
import { createPostgresBlobStore } from './postgres-blob-store.js';

// Chunks of 1 KiB, so that the contract's ranges cross chunk boundaries.
for (const kind of databaseKinds)
  blobStoreContract(kind, async () => {
    const testDb = await openMigratedTestDatabase(kind, 'blob-store');
    return { store: createPostgresBlobStore(testDb.database.db, 1024), dispose: () => testDb.dispose() };
  });

describe('the PostgreSQL file store giving way to work that comes first', () => {
  let testDb: MigratedTestDatabase;
  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'blob-store-yield');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('waits before each chunk it writes, and writes the file whole once let through', async () => {
    let turns = 0;
    let letThrough!: () => void;
    let gate = new Promise<void>((resolve) => (letThrough = resolve));
    const store = createPostgresBlobStore(testDb.database.db, 1024, () => {
      turns++;
      return gate;
    });
    const data = randomBytes(3 * 1024 + 10);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const putting = store.put('acme', { sha256, mimetype: 'image/png', data });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(turns).toBe(1);
    expect(await store.stat('acme', sha256)).toBeUndefined();
    letThrough();
    gate = Promise.resolve();
    await putting;
    expect(turns).toBe(4);
    const read: Buffer[] = [];
    for await (const piece of store.read('acme', sha256, { start: 0, end: data.length - 1 }))
      read.push(piece);
    expect(Buffer.concat(read).equals(data)).toBe(true);
  });
});
