import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { deleteContactMedia, mediaOfContact } from './contact-media.js';

const joao = '5511988887777';
const maria = '5511977776666';
const file = (text: string) => {
  const data = Buffer.from(text);
  return { sha256: createHash('sha256').update(data).digest('hex'), mimetype: 'image/png', data };
};

describe("an erased contact's files", () => {
  let testDb: MigratedTestDatabase;
  let blobs: MediaBlobStore;
  const ownPicture = file("João's own picture");
  const sharedPicture = file('a picture João and Maria both show');

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'contact-media');
    blobs = createPostgresBlobStore(testDb.database.db);
    for (const kept of [ownPicture, sharedPicture]) await blobs.put('acme', kept);
    const db = readModelDb(testDb.database.db);
    const client = (phone: string, picture: string) => ({
      Id: randomUUID(),
      Company_Id: 'acme',
      Client_Name: null,
      Wa_Number: phone,
      Profile_Picture_Url: null,
      Profile_Picture_Sha256: picture,
      Last_Contact_At: null,
      Created_At: new Date(),
    });
    await db
      .insertInto('Clients')
      .values([client(joao, ownPicture.sha256), client(maria, sharedPicture.sha256)])
      .execute();
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('include its profile picture, deleted unless another contact shows the same one', async () => {
    const db = testDb.database.db;
    const media = await mediaOfContact(db, 'acme', `${joao}@c.us`, joao);
    expect(media.sha256s).toEqual([ownPicture.sha256]);

    await deleteContactMedia(
      { db, blobs },
      { companyId: 'acme', chatJid: `${joao}@c.us`, phone: joao },
      {
        sha256s: [ownPicture.sha256, sharedPicture.sha256],
        fileIds: [],
      },
    );
    expect(await blobs.stat('acme', ownPicture.sha256)).toBeUndefined();
    expect(await blobs.stat('acme', sharedPicture.sha256)).toBeDefined();
  });
});
