import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openErasureTestBed, joao, joaoJid, joaoLid } from '../../../test-support/erasure-test-bed.js';
import { historyWriter } from '../../../test-support/realistic-history.js';
import { createPostgresBlobStore } from '../../adapters/db/postgres-blob-store.js';
import type { MediaBlobStore } from '../media-blob-store.js';

const picture = (text: string) => {
  const data = Buffer.from(text);
  return { sha256: createHash('sha256').update(data).digest('hex'), mimetype: 'image/png', data };
};

/**
 * A contact's profile pictures are personal data: the erasure deletes every one it showed, not only the one
 * its Clients row holds last (the earlier ones, and one its linked-device id showed).
 */
describe("an erased contact's earlier profile pictures", () => {
  let bed: Awaited<ReturnType<typeof openErasureTestBed>>;
  let blobs: MediaBlobStore;
  const earlier = picture('João de chapéu');
  const byLid = picture('João pelo outro aparelho');

  beforeAll(async () => {
    bed = await openErasureTestBed('postgres');
    blobs = createPostgresBlobStore(bed.testDb.database.db);
    const { chat } = historyWriter(bed.store);
    for (const [chatJid, key, shown] of [
      [joaoJid, joao, earlier],
      [joaoLid, joaoLid, byLid],
    ] as const) {
      await blobs.put('acme', shown);
      await chat(
        'acme',
        bed.acmeSession,
        chatJid,
        {
          type: 'RecordContactPicture',
          contactJid: chatJid,
          phone: key,
          sha256: shown.sha256,
          size: shown.data.length,
          mimetype: shown.mimetype,
        },
        `picture-${shown.sha256}`,
      );
    }
  });
  afterAll(async () => {
    await bed?.dispose();
  });

  it('deletes them all', async () => {
    const rows = await bed
      .db()
      .selectFrom('Clients')
      .select('Profile_Picture_Sha256')
      .where('Company_Id', '=', 'acme')
      .where('Wa_Number', '=', joao)
      .execute();
    // Only the latest is on his row.
    expect(rows).toEqual([{ Profile_Picture_Sha256: byLid.sha256 }]);
    await bed.eraseJoao();
    expect(await blobs.stat('acme', earlier.sha256)).toBeUndefined();
    expect(await blobs.stat('acme', byLid.sha256)).toBeUndefined();
  });
});
