import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../test-support/test-databases.js';
import { MediaNotFoundError } from '../../app/media-store.js';
import { readModelDb } from './read-model-db.js';
import { createPostgresMediaStore } from './postgres-media-store.js';

const file = { data: Buffer.from('%PDF-1.4 nota fiscal'), mimetype: 'application/pdf', fileName: 'nota.pdf' };

/**
 * The files of send-media: the same file saved again for a session is kept once, and a refused request removes
 * the file it saved only while no other request has taken it up since (two requests with the same file at once).
 */
describe.each(databaseKinds)('media store on %s', (kind) => {
  let testDb: MigratedTestDatabase;

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase(kind, 'media-store');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('removes the file a refused request saved, when nothing else took it up', async () => {
    const store = createPostgresMediaStore(readModelDb(testDb.database.db));
    const saved = await store.save(randomUUID(), file);
    expect(saved.created).toBe(true);
    await store.remove(saved);
    await expect(store.read(saved.location)).rejects.toBeInstanceOf(MediaNotFoundError);
  });

  it('keeps a file another request took up while the one that saved it was refused', async () => {
    const store = createPostgresMediaStore(readModelDb(testDb.database.db));
    const sessionId = randomUUID();
    const refused = await store.save(sessionId, file);
    const accepted = await store.save(sessionId, file);
    expect(accepted).toMatchObject({ location: refused.location, created: false });
    await store.remove(refused);
    expect((await store.read(accepted.location)).data).toEqual(file.data);
  });
});
