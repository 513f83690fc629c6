/** A kept file: its type and size. */
export interface BlobInfo {
  mimetype: string;
  size: number;
}

/** A kept content and when it was last kept (put). */
export interface KeptBlob {
  companyId: string;
  sha256: string;
  keptAt: Date;
}

/**
 * Incoming files, content-addressed: each company keeps one copy of each content (by SHA-256), whichever messages
 * carry it. Bytes are written and read in chunks, never as one value. Implementations: PostgreSQL (default) and
 * an S3-compatible object store (MEDIA_S3_BUCKET); `media-blob-store.contract.ts` holds what both must do.
 */
export interface MediaBlobStore {
  /**
   * Keeps the bytes under the company and their SHA-256, once. A content kept already keeps its bytes, and its
   * keep time is renewed: retention counts from the last time a file arrived, so that a sweep that decided on
   * the earlier time deletes nothing (see `delete`'s `keptBefore`).
   */
  put(companyId: string, file: { sha256: string; mimetype: string; data: Buffer }): Promise<void>;
  stat(companyId: string, sha256: string): Promise<BlobInfo | undefined>;
  /** The bytes from `start` to `end` (inclusive), in pieces. */
  read(companyId: string, sha256: string, range: { start: number; end: number }): AsyncIterable<Buffer>;
  /**
   * Deletes the content for good; nothing happens when it is not kept. With `keptBefore`, only while it was last
   * kept before then (a content put again since, by a new message, stays). Answers whether it was deleted.
   */
  delete(companyId: string, sha256: string, condition?: { keptBefore: Date }): Promise<boolean>;
  /** Every content last kept before `before`, of every company, in pages (for MEDIA_RETENTION_DAYS). */
  keptBefore(before: Date): AsyncIterable<KeptBlob>;
}
