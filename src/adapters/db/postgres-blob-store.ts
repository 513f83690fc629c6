import { sql, type Kysely } from 'kysely';
import type { MediaBlobStore } from '../../app/media-blob-store.js';

const defaultChunkBytes = 512 * 1024;
/** Chunks fetched per query while reading: a few MiB in memory at most. */
const chunksPerRead = 4;
/** Kept contents listed per query by `keptBefore`. */
const keptPage = 500;

/**
 * Incoming files in PostgreSQL (migrations/0022): a `media_blobs` row per company and content, its bytes in
 * `media_chunks` rows of `chunkBytes`, so that reading a range touches only its chunks.
 */
export function createPostgresBlobStore<T>(
  db: Kysely<T>,
  chunkBytes = defaultChunkBytes,
  /** Waits before each chunk is written, for work that comes first (WhatsApp's facts: intake-load.ts). */
  beforeChunk: () => Promise<void> = () => Promise.resolve(),
): MediaBlobStore {
  return {
    async put(companyId, { sha256, mimetype, data }) {
      await db.transaction().execute(async (trx) => {
        // Kept already: its keep time is renewed, in the row a retention sweep deletes only while it is old.
        const { rows: renewed } = await sql<{ sha256: string }>`
          update media_blobs set created_at = now()
          where company_id = ${companyId} and sha256 = ${sha256} returning sha256`.execute(trx);
        if (renewed.length > 0) return;
        const { rows } = await sql<{ sha256: string }>`
          insert into media_blobs (company_id, sha256, mimetype, size, chunk_size)
          values (${companyId}, ${sha256}, ${mimetype}, ${data.length}, ${chunkBytes})
          on conflict do nothing returning sha256`.execute(trx);
        if (rows.length === 0) return;
        for (let seq = 0; seq * chunkBytes < data.length || seq === 0; seq++) {
          const chunk = data.subarray(seq * chunkBytes, (seq + 1) * chunkBytes);
          await beforeChunk();
          await sql`insert into media_chunks (company_id, sha256, seq, data)
            values (${companyId}, ${sha256}, ${seq}, ${chunk})`.execute(trx);
        }
      });
    },

    async stat(companyId, sha256) {
      const { rows } = await sql<{ mimetype: string; size: string }>`
        select mimetype, size from media_blobs where company_id = ${companyId} and sha256 = ${sha256}`.execute(
        db,
      );
      return rows[0] ? { mimetype: rows[0].mimetype, size: Number(rows[0].size) } : undefined;
    },

    async *read(companyId, sha256, { start, end }) {
      const { rows } = await sql<{ chunk_size: number }>`
        select chunk_size from media_blobs where company_id = ${companyId} and sha256 = ${sha256}`.execute(
        db,
      );
      const size = rows[0]?.chunk_size;
      if (!size || end < start) return;
      const last = Math.floor(end / size);
      for (let from = Math.floor(start / size); from <= last; from += chunksPerRead) {
        const to = Math.min(last, from + chunksPerRead - 1);
        const { rows: chunks } = await sql<{ seq: number; data: Uint8Array }>`
          select seq, data from media_chunks
          where company_id = ${companyId} and sha256 = ${sha256} and seq between ${from} and ${to}
          order by seq`.execute(db);
        for (const { seq, data } of chunks) {
          const offset = seq * size;
          const bytes = Buffer.from(data);
          yield bytes.subarray(Math.max(0, start - offset), Math.min(bytes.length, end - offset + 1));
        }
      }
    },

    async delete(companyId, sha256, condition) {
      // Its chunks go with it (on delete cascade). The keep-time condition is checked in the same statement as
      // the delete, so a put that renews it first (a new message with this content) wins.
      const { rows } = await sql<{ sha256: string }>`
        delete from media_blobs where company_id = ${companyId} and sha256 = ${sha256}
          and (${condition === undefined} or created_at < ${condition?.keptBefore ?? null}::timestamptz)
        returning sha256`.execute(db);
      return rows.length > 0;
    },

    async *keptBefore(before) {
      // The cursor carries created_at as PostgreSQL's text: a JavaScript Date would lose its microseconds.
      let after: { createdAt: string; companyId: string; sha256: string } | undefined;
      for (;;) {
        const { rows } = await sql<{
          company_id: string;
          sha256: string;
          created_at: Date;
          created_text: string;
        }>`
          select company_id, sha256, created_at, created_at::text as created_text from media_blobs
          where created_at < ${before}
            and (${after === undefined} or (created_at, company_id, sha256) >
              (${after?.createdAt ?? null}::timestamptz, ${after?.companyId ?? ''}, ${after?.sha256 ?? ''}))
          order by created_at, company_id, sha256 limit ${keptPage}`.execute(db);
        for (const row of rows)
          yield { companyId: row.company_id, sha256: row.sha256, keptAt: new Date(row.created_at) };
        const last = rows.at(-1);
        if (!last || rows.length < keptPage) return;
        after = { createdAt: last.created_text, companyId: last.company_id, sha256: last.sha256 };
      }
    },
  };
}
