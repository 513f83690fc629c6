import type { Kysely } from 'kysely';
import type { MediaBlobStore } from '../../app/media-blob-store.js';
import type { Config } from '../../config.js';
import { createPostgresBlobStore } from '../db/postgres-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

/**
 * Chunk size of files written to PostgreSQL. Each chunk's insert is written to the connection's socket in one
 * go, on the event loop (measured: the largest share of the gateway's own CPU while files arrive), and texts
 * wait behind it; smaller chunks let them through in between. Files kept before keep their own chunk size.
 */
const writeChunkBytes = 128 * 1024;

/**
 * The kept-file store the configuration names: an S3-compatible bucket (MEDIA_S3_BUCKET), else PostgreSQL. With
 * PostgreSQL, `writes` (when given) is the database its files are written through, so that writing them never
 * takes connections from the main pool; they are read through `db`.
 */
export function openBlobStore<T>(
  config: Config,
  db: Kysely<T>,
  writes?: Kysely<T>,
  beforeChunk?: () => Promise<void>,
): MediaBlobStore {
  if (!config.MEDIA_S3_BUCKET) {
    const store = createPostgresBlobStore(db, writeChunkBytes, beforeChunk);
    if (!writes) return store;
    const writer = createPostgresBlobStore(writes, writeChunkBytes, beforeChunk);
    return { ...store, put: (companyId, file) => writer.put(companyId, file) };
  }
  return createS3BlobStore({
    bucket: config.MEDIA_S3_BUCKET,
    region: config.MEDIA_S3_REGION,
    endpoint: config.MEDIA_S3_ENDPOINT,
    forcePathStyle: config.MEDIA_S3_FORCE_PATH_STYLE,
    credentials:
      config.MEDIA_S3_ACCESS_KEY_ID && config.MEDIA_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}
