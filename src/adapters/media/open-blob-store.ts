import type { Kysely } from 'kysely';
import type { MediaBlobStore } from '../../app/media-blob-store.js';
import type { Config } from '../../config.js';
import { createPostgresBlobStore } from '../db/postgres-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

/** The kept-file store the configuration names: an S3-compatible bucket (MEDIA_S3_BUCKET), else PostgreSQL. */
export function openBlobStore<T>(config: Config, db: Kysely<T>): MediaBlobStore {
  if (!config.MEDIA_S3_BUCKET) return createPostgresBlobStore(db);
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
