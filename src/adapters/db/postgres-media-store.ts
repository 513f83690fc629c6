import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MediaNotFoundError, type MediaStore } from '../../app/media-store.js';
import type { ReadModelSchema } from './read-model-schema.js';

/**
 * Media files in the `media_files` table, so that any gateway process can send them. The same file (bytes, type
 * and name) saved again for a session, as a replayed send-media request does, is kept once.
 */
export function createPostgresMediaStore(db: Kysely<ReadModelSchema>): MediaStore {
  return {
    async save(sessionId, file) {
      const sha256 = createHash('sha256').update(file.data).digest('hex');
      const kept = await db
        .selectFrom('media_files')
        .select('id')
        .where('session_id', '=', sessionId)
        .where('sha256', '=', sha256)
        .where('mimetype', '=', file.mimetype)
        .where((eb) =>
          file.fileName === null ? eb('file_name', 'is', null) : eb('file_name', '=', file.fileName),
        )
        .executeTakeFirst();
      if (kept) return { location: `db:${kept.id}`, size: file.data.length, created: false };
      const id = randomUUID();
      await db
        .insertInto('media_files')
        .values({
          id,
          session_id: sessionId,
          mimetype: file.mimetype,
          file_name: file.fileName,
          size: file.data.length,
          sha256,
          data: file.data,
        })
        .execute();
      return { location: `db:${id}`, size: file.data.length, created: true };
    },
    async remove(location) {
      const id = /^db:([0-9a-f-]{36})$/.exec(location)?.[1];
      if (id) await db.deleteFrom('media_files').where('id', '=', id).execute();
    },
    async read(location) {
      const id = /^db:([0-9a-f-]{36})$/.exec(location)?.[1];
      const row = id
        ? await db
            .selectFrom('media_files')
            .select(['data', 'mimetype', 'file_name'])
            .where('id', '=', id)
            .executeTakeFirst()
        : undefined;
      if (!row) throw new MediaNotFoundError(location);
      return { data: Buffer.from(row.data), mimetype: row.mimetype, fileName: row.file_name };
    },
  };
}
