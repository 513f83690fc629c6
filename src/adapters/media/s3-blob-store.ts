import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { MediaBlobStore } from '../../app/media-blob-store.js';

export interface S3BlobStoreSettings {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, R2 …); unset: AWS. */
  endpoint?: string | undefined;
  forcePathStyle?: boolean;
  /** Unset: the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Prefix of every key (tests give each run its own). */
  prefix?: string;
}

/**
 * Kept files in an S3-compatible bucket, one object per company and content: `<prefix><company>/<sha256>`, with
 * the file's type as the object's Content-Type. Reads ask for the range they need, and stream it.
 */
export function createS3BlobStore(settings: S3BlobStoreSettings): MediaBlobStore & { close(): void } {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle ?? false,
    // Checksums only where S3 requires them: several S3-compatible stores refuse the SDK's default CRC32 headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  const Bucket = settings.bucket;
  const prefix = settings.prefix ?? '';
  const keyOf = (companyId: string, sha256: string) => `${prefix}${encodeURIComponent(companyId)}/${sha256}`;

  const head = async (companyId: string, sha256: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(companyId, sha256) }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  return {
    async put(companyId, { sha256, mimetype, data }) {
      // Content-addressed: an object under this key holds these bytes already. Copied onto itself, its
      // LastModified (the keep time retention reads) is renewed without sending the bytes again.
      const kept = await head(companyId, sha256);
      if (kept) {
        await client.send(
          new CopyObjectCommand({
            Bucket,
            Key: keyOf(companyId, sha256),
            // CopySource is URL-encoded (the key holds the company id encoded once already).
            CopySource: `${Bucket}/${keyOf(companyId, sha256).split('/').map(encodeURIComponent).join('/')}`,
            MetadataDirective: 'REPLACE',
            ContentType: kept.ContentType ?? mimetype,
          }),
        );
        return;
      }
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: keyOf(companyId, sha256),
          Body: data,
          ContentType: mimetype,
          ContentLength: data.length,
        }),
      );
    },

    async stat(companyId, sha256) {
      const found = await head(companyId, sha256);
      return found
        ? { mimetype: found.ContentType ?? 'application/octet-stream', size: found.ContentLength ?? 0 }
        : undefined;
    },

    async *read(companyId, sha256, { start, end }) {
      if (end < start) return;
      const object = await client.send(
        new GetObjectCommand({ Bucket, Key: keyOf(companyId, sha256), Range: `bytes=${start}-${end}` }),
      );
      if (!(object.Body instanceof Readable)) throw new Error('The object store answered no byte stream');
      for await (const chunk of object.Body)
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    },

    async delete(companyId, sha256, condition) {
      // S3 has no delete conditioned on LastModified: the object is looked at just before. A put renewing it
      // between the two requests is not seen (a window of one request, where PostgreSQL has none).
      const found = await head(companyId, sha256);
      if (!found) return false;
      if (condition && !(found.LastModified && found.LastModified < condition.keptBefore)) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(companyId, sha256) }));
      return true;
    },

    async *keptBefore(before) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }),
        );
        for (const object of page.Contents ?? []) {
          const match = /^([^/]+)\/([0-9a-f]{64})$/.exec(object.Key?.slice(prefix.length) ?? '');
          if (!match || !object.LastModified || object.LastModified >= before) continue;
          yield { companyId: decodeURIComponent(match[1]!), sha256: match[2]!, keptAt: object.LastModified };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    close: () => client.destroy(),
  };
}

const isNotFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound');
