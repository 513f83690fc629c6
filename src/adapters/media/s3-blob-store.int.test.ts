import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { blobStoreContract } from './blob-store.contract.js';
import { createS3BlobStore } from './s3-blob-store.js';
import { startS3FakeServer } from './s3-fake-server.js';

/**
 * The S3 store against a real S3-compatible server, when one is named: TEST_S3_URL, as
 * `http://ACCESS_KEY:SECRET_KEY@host:port/bucket` (path-style, e.g. MinIO: `docker run -p 9000:9000 minio/minio
 * server /data`, then create the bucket), or `https://…` for a hosted one. Each run writes under its own prefix.
 */
const url = process.env.TEST_S3_URL;

if (!url)
  describe('media blob store contract: s3', () => {
    it.skip('needs an S3-compatible server: set TEST_S3_URL=http://KEY:SECRET@host:9000/bucket to run it', () => {});
  });
else {
  const parsed = new URL(url);
  blobStoreContract('s3', () => {
    const store = createS3BlobStore({
      bucket: parsed.pathname.replace(/^\//, ''),
      region: process.env.TEST_S3_REGION ?? 'us-east-1',
      endpoint: `${parsed.protocol}//${parsed.host}`,
      forcePathStyle: true,
      credentials: {
        accessKeyId: decodeURIComponent(parsed.username),
        secretAccessKey: decodeURIComponent(parsed.password),
      },
      prefix: `zapledger-test-${randomUUID()}/`,
    });
    return Promise.resolve({ store, dispose: () => Promise.resolve(store.close()) });
  });
}

// The adapter's requests and its reading of the answers, against a minimal in-process fake of S3's HTTP API
// (see s3-fake-server.ts): not S3, but it runs everywhere.
blobStoreContract('s3 adapter against an in-process fake', async () => {
  const fake = await startS3FakeServer();
  const store = createS3BlobStore({
    bucket: 'media',
    region: 'us-east-1',
    endpoint: fake.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    prefix: 'kept/',
  });
  return {
    store,
    dispose: async () => {
      store.close();
      await fake.close();
    },
  };
});
